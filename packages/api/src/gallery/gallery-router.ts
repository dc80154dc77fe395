import { z } from "zod";
import { getModel, modelIdSchema, type ModelId } from "@animateimg/catalog";
import { listPublicGenerations } from "@animateimg/generations";
import { PUBLIC_SUBJECT } from "@animateimg/storage";
import { createTRPCRouter, publicProcedure } from "../trpc";

/** What a visitor sees of a shared video. Deliberately no user id, name or email. */
export const galleryItemSchema = z.strictObject({
  id: z.uuid(),
  modelId: modelIdSchema,
  modelLabel: z.string(),
  prompt: z.string(),
  videoUrl: z.string().nullable(),
  posterUrl: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  finishedAt: z.date(),
});

export const galleryRouter = createTRPCRouter({
  /** Succeeded, non-private, not deleted outputs, newest first; anyone may read it. */
  list: publicProcedure
    .input(
      z.object({
        limit: z.number().int().min(1).max(48).default(24),
        cursor: z.string().max(200).nullish(),
        modelId: modelIdSchema.optional(),
      }),
    )
    .output(z.object({ items: z.array(galleryItemSchema), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const page = await listPublicGenerations(ctx.db, {
        limit: input.limit,
        cursor: input.cursor,
        modelId: input.modelId,
      });
      const urls = ctx.generations?.blobUrls;
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((row) => {
          const modelId = row.modelId as ModelId;
          return {
            id: row.id,
            modelId,
            modelLabel: getModel(modelId).label,
            prompt: row.prompt,
            // Signed for "public": the blob route serves these to anyone, and only while the
            // generation is still shared (it re-checks private/deleted on every request).
            videoUrl: urls ? urls.urlFor({ key: row.videoKey, subject: PUBLIC_SUBJECT }) : null,
            posterUrl: urls && row.posterKey ? urls.urlFor({ key: row.posterKey, subject: PUBLIC_SUBJECT }) : null,
            durationMs: row.durationMs,
            width: row.width,
            height: row.height,
            finishedAt: row.finishedAt,
          };
        }),
      };
    }),
});
