import { z } from "zod";
import { creditUsage } from "@animateimg/billing";
import {
  createManualResend,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listDeliveries,
  listWebhookEndpoints,
  productionUrlPolicy,
  updateWebhookEndpoint,
  WEBHOOK_DESCRIPTION_MAX_LENGTH,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_URL_MAX_LENGTH,
} from "@animateimg/webhooks";
import { createTRPCRouter, protectedProcedure, type ApiDependencies } from "../trpc";

const eventTypeSchema = z.enum(
  WEBHOOK_EVENT_TYPES as ["generation.succeeded", "generation.failed", "generation.canceled"],
);

const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(eventTypeSchema),
  enabled: z.boolean(),
  disabledReason: z.enum(["owner", "failing"]).nullable(),
  disabledAt: z.date().nullable(),
  failingSince: z.date().nullable(),
  secretPreview: z.string(),
  createdAt: z.date(),
});

const deliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: eventTypeSchema,
  generationId: z.string().nullable(),
  manual: z.boolean(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  nextAttemptAt: z.date().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  attemptLog: z.array(
    z.object({
      attemptNo: z.number().int(),
      statusCode: z.number().int().nullable(),
      durationMs: z.number().int(),
      errorClass: z.string().nullable(),
      attemptedAt: z.date(),
    }),
  ),
});

const bucket = { credits: z.number().int(), generations: z.number().int() };
export const usageSchema = z.object({
  from: z.string(),
  to: z.string(),
  total: z.object(bucket),
  perDay: z.array(z.object({ day: z.string(), ...bucket })),
  perModel: z.array(z.object({ modelId: z.string(), ...bucket })),
  perKey: z.array(
    z.object({ apiKeyId: z.string().nullable(), name: z.string().nullable(), revoked: z.boolean(), ...bucket }),
  ),
});

/** The URL policy in force: production's unless the deployment allows local http (dev, tests). */
export function urlCheckOptions(deps: Pick<ApiDependencies, "webhooks">) {
  return { policy: deps.webhooks?.policy ?? productionUrlPolicy };
}

/** A manual resend: a new delivery row, and its own delivery workflow. */
export async function resendDelivery(
  deps: ApiDependencies,
  input: { userId: string; deliveryId: string; endpointId?: string },
) {
  const delivery = await createManualResend(deps.db, input);
  await deps.orchestrator.startWebhookDelivery({ delivery, manual: true });
  return delivery;
}

/** Settings → Webhooks and Settings → Usage. */
export const webhookRouter = createTRPCRouter({
  list: protectedProcedure
    .input(z.void())
    .output(z.array(endpointSchema))
    .query(({ ctx }) => listWebhookEndpoints(ctx.db, { userId: ctx.session.user.id })),

  create: protectedProcedure
    .input(
      z.object({
        url: z.string().trim().min(1).max(WEBHOOK_URL_MAX_LENGTH),
        description: z.string().max(WEBHOOK_DESCRIPTION_MAX_LENGTH).optional(),
        events: z.array(eventTypeSchema).min(1),
      }),
    )
    .output(z.object({ secret: z.string(), endpoint: endpointSchema }))
    .mutation(({ ctx, input }) =>
      createWebhookEndpoint(ctx.db, { userId: ctx.session.user.id, ...input }, urlCheckOptions(ctx)),
    ),

  update: protectedProcedure
    .input(
      z.object({
        endpointId: z.string().max(64),
        url: z.string().trim().min(1).max(WEBHOOK_URL_MAX_LENGTH).optional(),
        description: z.string().max(WEBHOOK_DESCRIPTION_MAX_LENGTH).optional(),
        events: z.array(eventTypeSchema).min(1).optional(),
        enabled: z.boolean().optional(),
      }),
    )
    .output(endpointSchema)
    .mutation(({ ctx, input }) =>
      updateWebhookEndpoint(ctx.db, { userId: ctx.session.user.id, ...input }, urlCheckOptions(ctx)),
    ),

  delete: protectedProcedure
    .input(z.object({ endpointId: z.string().max(64) }))
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteWebhookEndpoint(ctx.db, { userId: ctx.session.user.id, endpointId: input.endpointId });
      return { deleted: true as const };
    }),

  deliveries: protectedProcedure
    .input(z.object({ endpointId: z.string().max(64), limit: z.number().int().min(1).max(100).default(30) }))
    .output(z.array(deliverySchema))
    .query(async ({ ctx, input }) => {
      // Someone else's endpoint is "not found", not an empty log.
      await getWebhookEndpoint(ctx.db, { userId: ctx.session.user.id, endpointId: input.endpointId });
      return listDeliveries(ctx.db, { userId: ctx.session.user.id, endpointId: input.endpointId, limit: input.limit });
    }),

  resend: protectedProcedure
    .input(z.object({ deliveryId: z.string().max(64) }))
    .output(z.object({ deliveryId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const delivery = await resendDelivery(ctx, { userId: ctx.session.user.id, deliveryId: input.deliveryId });
      return { deliveryId: delivery.deliveryId };
    }),

  usage: protectedProcedure
    .input(z.object({ days: z.number().int().min(1).max(366).default(30) }))
    .output(usageSchema)
    .query(({ ctx, input }) => creditUsage(ctx.db, { userId: ctx.session.user.id, days: input.days })),
});
