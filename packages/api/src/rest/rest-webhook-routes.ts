import type { z } from "zod";
import { creditUsage } from "@animateimg/billing";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listDeliveries,
  listWebhookEndpoints,
  updateWebhookEndpoint,
  type DeliveryView,
  type WebhookEndpointView,
} from "@animateimg/webhooks";
import { resendDelivery, urlCheckOptions } from "../developer/webhook-router";
import type { RestContext, RestRoute } from "./rest-routes";
import {
  createdWebhookEndpointSchema,
  createWebhookEndpointRequestSchema,
  deletedWebhookEndpointSchema,
  deliveriesQuerySchema,
  resentDeliverySchema,
  updateWebhookEndpointRequestSchema,
  usageQuerySchema,
  usageResourceSchema,
  webhookDeliveryListSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
} from "./rest-webhook-schemas";

// /api/v1/webhooks… and /api/v1/usage: the same domain functions as Settings → Webhooks and
// Settings → Usage. Reading needs the `read` scope, changing anything `generate`.

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function toEndpointResource(view: WebhookEndpointView): z.input<typeof webhookEndpointSchema> {
  return {
    id: view.id,
    object: "webhook_endpoint",
    url: view.url,
    description: view.description,
    events: view.events,
    enabled: view.enabled,
    disabledReason: view.disabledReason,
    failingSince: iso(view.failingSince),
    secretPreview: view.secretPreview,
    createdAt: view.createdAt.toISOString(),
  };
}

function toDeliveryResource(view: DeliveryView) {
  return {
    ...view,
    object: "webhook_delivery" as const,
    nextAttemptAt: iso(view.nextAttemptAt),
    createdAt: view.createdAt.toISOString(),
    finishedAt: iso(view.finishedAt),
    attemptLog: view.attemptLog.map((attempt) => ({ ...attempt, attemptedAt: attempt.attemptedAt.toISOString() })),
  };
}

function reply<S extends z.ZodType>(status: number, schema: S, value: z.input<S>): Response {
  const response = Response.json(schema.parse(value), { status });
  response.headers.set("cache-control", "no-store");
  return response;
}

const userOf = (context: RestContext) => context.key.user.id;

export const webhookRestRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/webhooks",
    operationId: "listWebhookEndpoints",
    summary: "List your webhook endpoints",
    scope: "read",
    responses: [{ status: 200, description: "Every endpoint of the account", schema: webhookEndpointListSchema }],
    async handle(context) {
      const endpoints = await listWebhookEndpoints(context.deps.db, { userId: userOf(context) });
      return reply(200, webhookEndpointListSchema, { object: "list", data: endpoints.map(toEndpointResource) });
    },
  },
  {
    method: "POST",
    path: "/webhooks",
    operationId: "createWebhookEndpoint",
    summary: "Register a webhook endpoint",
    description:
      "We POST `generation.succeeded`, `generation.failed` and `generation.canceled` events to it, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); verify them with the returned `secret`, which is shown only here. The URL must be https on a public address.",
    scope: "generate",
    body: { schema: createWebhookEndpointRequestSchema },
    responses: [{ status: 201, description: "Created; keep the secret", schema: createdWebhookEndpointSchema }],
    async handle(context) {
      const input = context.body as z.output<typeof createWebhookEndpointRequestSchema>;
      const { endpoint, secret } = await createWebhookEndpoint(
        context.deps.db,
        { userId: userOf(context), ...input },
        urlCheckOptions(context.deps),
      );
      return reply(201, createdWebhookEndpointSchema, { ...toEndpointResource(endpoint), secret });
    },
  },
  {
    method: "GET",
    path: "/webhooks/{id}",
    operationId: "getWebhookEndpoint",
    summary: "Get one webhook endpoint",
    scope: "read",
    responses: [{ status: 200, description: "The endpoint", schema: webhookEndpointSchema }],
    async handle(context) {
      const endpoint = await getWebhookEndpoint(context.deps.db, {
        userId: userOf(context),
        endpointId: context.params.id ?? "",
      });
      return reply(200, webhookEndpointSchema, toEndpointResource(endpoint));
    },
  },
  {
    method: "PATCH",
    path: "/webhooks/{id}",
    operationId: "updateWebhookEndpoint",
    summary: "Change an endpoint's URL, description or events, or turn it off or on",
    scope: "generate",
    body: { schema: updateWebhookEndpointRequestSchema },
    responses: [{ status: 200, description: "The endpoint as it is now", schema: webhookEndpointSchema }],
    async handle(context) {
      const input = context.body as z.output<typeof updateWebhookEndpointRequestSchema>;
      const endpoint = await updateWebhookEndpoint(
        context.deps.db,
        { userId: userOf(context), endpointId: context.params.id ?? "", ...input },
        urlCheckOptions(context.deps),
      );
      return reply(200, webhookEndpointSchema, toEndpointResource(endpoint));
    },
  },
  {
    method: "DELETE",
    path: "/webhooks/{id}",
    operationId: "deleteWebhookEndpoint",
    summary: "Delete an endpoint and its delivery log",
    scope: "generate",
    responses: [{ status: 200, description: "Deleted", schema: deletedWebhookEndpointSchema }],
    async handle(context) {
      const endpointId = context.params.id ?? "";
      await deleteWebhookEndpoint(context.deps.db, { userId: userOf(context), endpointId });
      return reply(200, deletedWebhookEndpointSchema, { id: endpointId, object: "webhook_endpoint", deleted: true });
    },
  },
  {
    method: "GET",
    path: "/webhooks/{id}/deliveries",
    operationId: "listWebhookDeliveries",
    summary: "The endpoint's delivery log, newest first, each with its attempts and response codes",
    scope: "read",
    query: deliveriesQuerySchema,
    responses: [{ status: 200, description: "Deliveries", schema: webhookDeliveryListSchema }],
    async handle(context) {
      const query = context.query as z.output<typeof deliveriesQuerySchema>;
      const endpoint = await getWebhookEndpoint(context.deps.db, {
        userId: userOf(context),
        endpointId: context.params.id ?? "",
      });
      const deliveries = await listDeliveries(context.deps.db, {
        userId: userOf(context),
        endpointId: endpoint.id,
        limit: query.limit,
      });
      return reply(200, webhookDeliveryListSchema, { object: "list", data: deliveries.map(toDeliveryResource) });
    },
  },
  {
    method: "POST",
    path: "/webhooks/{id}/deliveries/{deliveryId}/resend",
    operationId: "resendWebhookDelivery",
    summary: "Send a delivery's event again (same webhook-id), with the usual retries",
    scope: "generate",
    responses: [{ status: 202, description: "A new delivery has started", schema: resentDeliverySchema }],
    async handle(context) {
      const userId = userOf(context);
      const endpoint = await getWebhookEndpoint(context.deps.db, { userId, endpointId: context.params.id ?? "" });
      const delivery = await resendDelivery(context.deps, {
        userId,
        deliveryId: context.params.deliveryId ?? "",
        endpointId: endpoint.id,
      });
      return reply(202, resentDeliverySchema, {
        object: "webhook_delivery",
        id: delivery.deliveryId,
        status: "pending",
      });
    },
  },
  {
    method: "GET",
    path: "/usage",
    operationId: "getUsage",
    summary: "Credits you spent per day, per model and per API key",
    scope: "read",
    query: usageQuerySchema,
    responses: [{ status: 200, description: "Usage over the last `days` days (UTC)", schema: usageResourceSchema }],
    async handle(context) {
      const query = context.query as z.output<typeof usageQuerySchema>;
      const usage = await creditUsage(context.deps.db, { userId: userOf(context), days: query.days });
      return reply(200, usageResourceSchema, { object: "usage", ...usage });
    },
  },
];
