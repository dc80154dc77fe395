import { z } from "zod";
import { API_KEY_NAME_MAX_LENGTH, createApiKey, listApiKeys, revokeApiKey } from "@animateimg/auth";
import { createTRPCRouter, protectedProcedure } from "../trpc";

const apiKeyScopeSchema = z.enum(["read", "generate"]);

const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  preview: z.string(),
  scopes: z.array(apiKeyScopeSchema),
  requestsPerMinute: z.number().int(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

/** Settings → Developer API: keys are created (the token is shown once), listed and revoked. */
export const apiKeyRouter = createTRPCRouter({
  list: protectedProcedure
    .input(z.void())
    .output(z.array(apiKeyViewSchema))
    .query(({ ctx }) => listApiKeys(ctx.db, { userId: ctx.session.user.id })),

  create: protectedProcedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(API_KEY_NAME_MAX_LENGTH),
        scopes: z.array(apiKeyScopeSchema).min(1),
      }),
    )
    .output(z.object({ token: z.string(), key: apiKeyViewSchema }))
    .mutation(({ ctx, input }) =>
      createApiKey(ctx.db, { userId: ctx.session.user.id, name: input.name, scopes: input.scopes }),
    ),

  revoke: protectedProcedure
    .input(z.object({ keyId: z.string().min(1).max(64) }))
    .output(apiKeyViewSchema)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, { userId: ctx.session.user.id, keyId: input.keyId })),
});
