import { AppError } from "@animateimg/core";
import type { WebhookEndpointRow, WebhookEventType, Executor } from "@animateimg/db";
import { WEBHOOK_EVENT_TYPES } from "./events";
import { generateWebhookSecret } from "./signing";
import {
  checkEndpointUrl,
  urlRefusalMessage,
  type EndpointUrlPolicy,
  type ResolveHost,
  type UrlRefusal,
} from "./url-policy";

export const MAX_WEBHOOK_ENDPOINTS = 10;
export const WEBHOOK_URL_MAX_LENGTH = 2000;
export const WEBHOOK_DESCRIPTION_MAX_LENGTH = 120;

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  /** "owner": turned off in Settings; "failing": turned off by us after days of failures. */
  disabledReason: "owner" | "failing" | null;
  disabledAt: Date | null;
  /** Start of the current unbroken run of failed attempts; null when the last one succeeded. */
  failingSince: Date | null;
  /** Enough of the secret to tell two apart; the whole secret is shown once, at creation. */
  secretPreview: string;
  createdAt: Date;
}

export interface UrlCheckOptions {
  policy: EndpointUrlPolicy;
  resolve?: ResolveHost;
}

const endpointColumns = [
  "id",
  "url",
  "description",
  "events",
  "enabled",
  "disabled_reason",
  "disabled_at",
  "failing_since",
  "secret",
  "created_at",
] as const satisfies ReadonlyArray<keyof WebhookEndpointRow>;

function toView(row: Pick<WebhookEndpointRow, (typeof endpointColumns)[number]>): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
    failingSince: row.failing_since,
    secretPreview: `${row.secret.slice(0, 10)}…`,
    createdAt: row.created_at,
  };
}

const notFound = () =>
  new AppError("NOT_FOUND", "That webhook endpoint was not found. It may have been deleted.", {
    reason: "webhook_endpoint_not_found",
  });
const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

async function acceptedUrl(raw: string, options: UrlCheckOptions): Promise<string> {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) {
    throw new AppError("BAD_REQUEST", `The URL may be up to ${WEBHOOK_URL_MAX_LENGTH} characters.`, {
      reason: "webhook_url_too_long",
      params: { max: WEBHOOK_URL_MAX_LENGTH },
      fieldErrors: { url: [`Up to ${WEBHOOK_URL_MAX_LENGTH} characters.`] },
    });
  }
  const checked = await checkEndpointUrl(raw, options.policy, options.resolve);
  if (!checked.ok) {
    throw urlRefused(checked.reason);
  }
  return checked.url.toString();
}

/**
 * The private-address refusal keeps its own reason; the others share invalid_webhook_url (as
 * before), telling which problem it is in a param so the web app words each one.
 */
function urlRefused(refusal: UrlRefusal): AppError {
  const message = urlRefusalMessage(refusal);
  const fieldErrors = { url: [message] };
  return refusal === "private_address"
    ? new AppError("BAD_REQUEST", message, { reason: "webhook_url_private", fieldErrors })
    : new AppError("BAD_REQUEST", message, {
        reason: "invalid_webhook_url",
        params: { problem: refusal },
        fieldErrors,
      });
}

function acceptedEvents(events: readonly string[]): WebhookEventType[] {
  const chosen = WEBHOOK_EVENT_TYPES.filter((type) => events.includes(type));
  if (chosen.length === 0 || chosen.length !== new Set(events).size) {
    throw new AppError("BAD_REQUEST", `Choose one or more of: ${WEBHOOK_EVENT_TYPES.join(", ")}.`, {
      reason: "invalid_webhook_events",
      params: { events: WEBHOOK_EVENT_TYPES.join(", ") },
      fieldErrors: { events: ["Choose at least one known event."] },
    });
  }
  return chosen;
}

function acceptedDescription(description: string): string {
  const trimmed = description.trim();
  if (trimmed.length > WEBHOOK_DESCRIPTION_MAX_LENGTH) {
    throw new AppError("BAD_REQUEST", `The description may be up to ${WEBHOOK_DESCRIPTION_MAX_LENGTH} characters.`, {
      reason: "invalid_webhook_description",
      params: { max: WEBHOOK_DESCRIPTION_MAX_LENGTH },
      fieldErrors: { description: [`Up to ${WEBHOOK_DESCRIPTION_MAX_LENGTH} characters.`] },
    });
  }
  return trimmed;
}

/** A new endpoint. The secret is returned here, once; later reads show only its start. */
export async function createWebhookEndpoint(
  db: Executor,
  input: { userId: string; url: string; description?: string; events: readonly string[] },
  options: UrlCheckOptions,
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const events = acceptedEvents(input.events);
  const description = acceptedDescription(input.description ?? "");
  const url = await acceptedUrl(input.url, options);
  const count = await db
    .selectFrom("webhook_endpoints")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("user_id", "=", input.userId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_WEBHOOK_ENDPOINTS) {
    throw new AppError(
      "CONFLICT",
      `You can have up to ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints. Delete one you no longer use.`,
      {
        reason: "too_many_webhook_endpoints",
        params: { max: MAX_WEBHOOK_ENDPOINTS },
      },
    );
  }
  const secret = generateWebhookSecret();
  const row = await db
    .insertInto("webhook_endpoints")
    .values({ user_id: input.userId, url, description, secret, events })
    .returning(endpointColumns)
    .executeTakeFirstOrThrow();
  return { endpoint: toView(row), secret };
}

export async function listWebhookEndpoints(db: Executor, input: { userId: string }): Promise<WebhookEndpointView[]> {
  const rows = await db
    .selectFrom("webhook_endpoints")
    .select(endpointColumns)
    .where("user_id", "=", input.userId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map(toView);
}

export async function getWebhookEndpoint(
  db: Executor,
  input: { userId: string; endpointId: string },
): Promise<WebhookEndpointView> {
  if (!isUuid(input.endpointId)) throw notFound();
  const row = await db
    .selectFrom("webhook_endpoints")
    .select(endpointColumns)
    .where("id", "=", input.endpointId)
    .where("user_id", "=", input.userId)
    .executeTakeFirst();
  if (!row) throw notFound();
  return toView(row);
}

/**
 * Changes what the owner sent. Turning an endpoint back on clears a "failing" disable and the
 * failure run, so it gets a fresh N days.
 */
export async function updateWebhookEndpoint(
  db: Executor,
  input: {
    userId: string;
    endpointId: string;
    url?: string;
    description?: string;
    events?: readonly string[];
    enabled?: boolean;
  },
  options: UrlCheckOptions,
): Promise<WebhookEndpointView> {
  const current = await getWebhookEndpoint(db, input);
  const url = input.url !== undefined ? await acceptedUrl(input.url, options) : undefined;
  const events = input.events !== undefined ? acceptedEvents(input.events) : undefined;
  const description = input.description !== undefined ? acceptedDescription(input.description) : undefined;
  const now = new Date();
  const enabling = input.enabled === true && !current.enabled;
  const disabling = input.enabled === false && current.enabled;
  const row = await db
    .updateTable("webhook_endpoints")
    .set({
      ...(url !== undefined ? { url } : {}),
      ...(events !== undefined ? { events } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(enabling ? { enabled: true, disabled_reason: null, disabled_at: null, failing_since: null } : {}),
      ...(disabling ? { enabled: false, disabled_reason: "owner" as const, disabled_at: now } : {}),
      updated_at: now,
    })
    .where("id", "=", current.id)
    .where("user_id", "=", input.userId)
    .returning(endpointColumns)
    .executeTakeFirst();
  if (!row) throw notFound();
  return toView(row);
}

/** Deletes the endpoint and its delivery log; deliveries in flight stop at their next attempt. */
export async function deleteWebhookEndpoint(
  db: Executor,
  input: { userId: string; endpointId: string },
): Promise<void> {
  if (!isUuid(input.endpointId)) throw notFound();
  const deleted = await db
    .deleteFrom("webhook_endpoints")
    .where("id", "=", input.endpointId)
    .where("user_id", "=", input.userId)
    .executeTakeFirst();
  if (deleted.numDeletedRows === 0n) throw notFound();
}
