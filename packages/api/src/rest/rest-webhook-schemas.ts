import { z } from "zod";

// REST resources of outbound webhooks and usage (see rest-schemas.ts for the conventions).

const timestamp = z.iso.datetime({ offset: true }).meta({ description: "ISO 8601 date-time" });
export const webhookEventTypeSchema = z.enum(["generation.succeeded", "generation.failed", "generation.canceled"]);

export const webhookEndpointSchema = z
  .object({
    id: z.uuid(),
    object: z.literal("webhook_endpoint"),
    url: z.string(),
    description: z.string(),
    events: z.array(webhookEventTypeSchema),
    enabled: z.boolean(),
    disabledReason: z
      .enum(["owner", "failing"])
      .nullable()
      .meta({ description: "`owner`: turned off by you; `failing`: turned off by us after days of failed deliveries" }),
    failingSince: timestamp
      .nullable()
      .meta({ description: "Start of the current run of failed attempts; null after a success" }),
    secretPreview: z
      .string()
      .meta({ description: "The start of the signing secret; the whole secret is returned only at creation" }),
    createdAt: timestamp,
  })
  .meta({ id: "WebhookEndpoint" });

export const createdWebhookEndpointSchema = webhookEndpointSchema
  .extend({
    secret: z
      .string()
      .meta({ description: "`whsec_…`: verify our signatures with it (Standard Webhooks). Shown once." }),
  })
  .meta({ id: "CreatedWebhookEndpoint" });

export const webhookEndpointListSchema = z
  .object({ object: z.literal("list"), data: z.array(webhookEndpointSchema) })
  .meta({ id: "WebhookEndpointList" });

export const createWebhookEndpointRequestSchema = z
  .object({
    url: z.string().trim().min(1).max(2000).meta({ description: "https://, on a public address" }),
    description: z.string().max(120).optional(),
    events: z.array(webhookEventTypeSchema).min(1),
  })
  .meta({ id: "CreateWebhookEndpointRequest" });

export const updateWebhookEndpointRequestSchema = z
  .object({
    url: z.string().trim().min(1).max(2000).optional(),
    description: z.string().max(120).optional(),
    events: z.array(webhookEventTypeSchema).min(1).optional(),
    enabled: z.boolean().optional().meta({ description: "true turns a disabled endpoint back on (a fresh start)" }),
  })
  .meta({ id: "UpdateWebhookEndpointRequest" });

export const deletedWebhookEndpointSchema = z
  .object({ id: z.uuid(), object: z.literal("webhook_endpoint"), deleted: z.literal(true) })
  .meta({ id: "DeletedWebhookEndpoint" });

export const webhookDeliverySchema = z
  .object({
    id: z.uuid(),
    object: z.literal("webhook_delivery"),
    endpointId: z.uuid(),
    eventId: z.string().meta({ description: "The `webhook-id` header: the same on every retry and resend" }),
    eventType: webhookEventTypeSchema,
    generationId: z.uuid().nullable(),
    manual: z.boolean().meta({ description: "A resend you asked for" }),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    nextAttemptAt: timestamp.nullable(),
    createdAt: timestamp,
    finishedAt: timestamp.nullable(),
    attemptLog: z.array(
      z.object({
        attemptNo: z.number().int(),
        statusCode: z.number().int().nullable().meta({ description: "Your endpoint's answer; null when none came" }),
        durationMs: z.number().int(),
        errorClass: z.string().nullable().meta({
          description: "null on a 2xx; else http_status, timeout, connection, tls, refused_address or invalid_url",
        }),
        attemptedAt: timestamp,
      }),
    ),
  })
  .meta({ id: "WebhookDelivery" });

export const webhookDeliveryListSchema = z
  .object({ object: z.literal("list"), data: z.array(webhookDeliverySchema) })
  .meta({ id: "WebhookDeliveryList" });

export const deliveriesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(30) });

export const resentDeliverySchema = z
  .object({ object: z.literal("webhook_delivery"), id: z.uuid(), status: z.literal("pending") })
  .meta({ id: "ResentWebhookDelivery" });

const bucket = { credits: z.number().int(), generations: z.number().int() };
export const usageResourceSchema = z
  .object({
    object: z.literal("usage"),
    from: z.iso.date(),
    to: z.iso.date(),
    total: z.object(bucket),
    perDay: z.array(z.object({ day: z.iso.date(), ...bucket })),
    perModel: z.array(z.object({ modelId: z.string(), ...bucket })),
    perKey: z.array(
      z.object({
        apiKeyId: z.string().nullable().meta({ description: "null: made in the web app" }),
        name: z.string().nullable(),
        revoked: z.boolean(),
        ...bucket,
      }),
    ),
  })
  .meta({ id: "Usage", description: "Credits charged (refunds excluded), per UTC day, model and API key" });

export const usageQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });
