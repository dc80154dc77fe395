import { z } from "zod";
import { AppError } from "@animateimg/core";
import {
  exportDownloadPath,
  getLatestDataExport,
  markDataExportFailed,
  requestDataExport,
  type DataExportView,
} from "@animateimg/data-export";
import { createTRPCRouter, protectedProcedure } from "../trpc";

const exportView = z.object({
  id: z.string(),
  status: z.enum(["queued", "running", "ready", "failed", "expired"]),
  progress: z.number().int().min(0).max(100),
  sizeBytes: z.number().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  errorCode: z.string().nullable(),
  /** Same-origin download for the signed-in owner; null until ready or once expired. */
  downloadPath: z.string().nullable(),
});

const withDownload = (view: DataExportView) => ({
  ...view,
  downloadPath: view.status === "ready" ? exportDownloadPath(view.id) : null,
});

export const dataExportRouter = createTRPCRouter({
  /** The person's latest export (Settings polls it while one is being built). */
  latest: protectedProcedure
    .input(z.void())
    .output(exportView.nullable())
    .query(async ({ ctx }) => {
      const latest = await getLatestDataExport(ctx.db, { userId: ctx.session.user.id });
      return latest ? withDownload(latest) : null;
    }),

  /** Starts an export of everything the account holds; one at a time per person. */
  request: protectedProcedure
    .input(z.void())
    .output(exportView)
    .mutation(async ({ ctx }) => {
      const requested = await requestDataExport(ctx.db, { userId: ctx.session.user.id });
      try {
        await ctx.orchestrator.startDataExport({ exportId: requested.id });
      } catch (cause) {
        // Nothing will build it: free the person's one slot so they can ask again.
        await markDataExportFailed(ctx.db, { exportId: requested.id, errorCode: "start_failed" });
        throw new AppError(
          "SERVICE_UNAVAILABLE",
          "Your export could not be started just now. Please try again in a few minutes.",
          {
            reason: "export_start_failed",
            cause,
          },
        );
      }
      return withDownload(requested);
    }),
});
