import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getAsset, hideAsset, listAssets, unhideAsset } from "@animateimg/assets";
import { createTRPCRouter, protectedProcedure, type TRPCContext } from "../trpc";
import { assetViewSchema, toAssetView } from "../upload/asset-view";
import type { UploadDependencies } from "../upload/upload-dependencies";

function uploadsOf(ctx: Pick<TRPCContext, "uploads">): UploadDependencies {
  if (!ctx.uploads)
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "Uploads are not configured on this server." });
  return ctx.uploads;
}

const listInput = z.object({
  kind: z.enum(["image", "video"]).optional(),
  limit: z.number().int().min(1).max(100).default(48),
  cursor: z.object({ createdAt: z.date(), id: z.string().uuid() }).optional(),
});

export const uploadRouter = createTRPCRouter({
  /** The signed-in user's uploads, newest first, with thumbnail URLs for the grid. */
  list: protectedProcedure
    .input(listInput)
    .output(
      z.object({
        items: z.array(assetViewSchema),
        nextCursor: z.object({ createdAt: z.date(), id: z.string() }).nullable(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const uploads = uploadsOf(ctx);
      const assets = await listAssets(ctx.db, {
        userId: ctx.session.user.id,
        kind: input.kind,
        limit: input.limit + 1,
        before: input.cursor,
      });
      const page = assets.slice(0, input.limit);
      const last = page.at(-1);
      return {
        items: page.map((asset) =>
          toAssetView(asset, uploads.signer, { subject: ctx.session.user.id, ttlSeconds: uploads.urlTtlSeconds }),
        ),
        nextCursor: assets.length > input.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
      };
    }),

  /** One upload of the signed-in user, with fresh signed URLs. */
  byId: protectedProcedure
    .input(z.object({ id: z.string().uuid() }))
    .output(assetViewSchema)
    .query(async ({ ctx, input }) => {
      const uploads = uploadsOf(ctx);
      const asset = await getAsset(ctx.db, { userId: ctx.session.user.id, assetId: input.id });
      return toAssetView(asset, uploads.signer, { subject: ctx.session.user.id, ttlSeconds: uploads.urlTtlSeconds });
    }),

  /**
   * Hides the upload at once (lists and its URLs stop showing it), then a workflow removes
   * its files durably. If the workflow cannot be started the upload is restored, so nothing
   * is left hidden with its files still stored.
   */
  delete: protectedProcedure
    .input(z.object({ id: z.string().uuid() }))
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const asset = await hideAsset(ctx.db, { userId: ctx.session.user.id, assetId: input.id });
      try {
        await ctx.orchestrator.startAssetDeletion({ assetId: asset.id });
      } catch (cause) {
        await unhideAsset(ctx.db, { userId: ctx.session.user.id, assetId: asset.id });
        throw new TRPCError({
          code: "SERVICE_UNAVAILABLE",
          message: "We couldn't delete this upload right now. Please try again in a minute.",
          cause,
        });
      }
      return { id: asset.id, deleted: true as const };
    }),
});
