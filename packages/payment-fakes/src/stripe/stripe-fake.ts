// A local stand-in for the parts of Stripe's API that AnimateImg uses, faithful enough that the
// official `stripe` SDK works against it unchanged except host/port/protocol. Objects start
// from Stripe's own fixtures (stripe/openapi, openapi/fixtures3.json) and get our ids and state.
// It serves a hosted checkout page a browser can pay on, a billing portal page, and delivers
// webhooks signed exactly as Stripe signs them (Stripe-Signature: t=…,v1=HMAC-SHA256).
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { obj, parseBracketForm, str, type FormValue } from "../form-body";
import {
  createWebhookSender,
  escapeHtml,
  redirect,
  sendHtml,
  sendJson,
  type ApiSwitches,
  type DeliveryRecord,
  type DeliverySwitches,
  type OutgoingEvent,
} from "../http-helpers";

type StripeObject = Record<string, unknown> & { id: string };

const fixtures = (
  JSON.parse(readFileSync(new URL("./fixtures.json", import.meta.url), "utf8")) as {
    resources: Record<string, StripeObject>;
  }
).resources;
const API_VERSION = "2026-10-28.endive";

function fromFixture(resource: string, fields: Record<string, unknown>): StripeObject {
  const base = structuredClone(fixtures[resource]);
  if (!base) throw new Error(`no fixture for ${resource}`);
  return Object.assign(base, { livemode: false, created: now() }, fields);
}

const textOf = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);
const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;

/** Test cards as Stripe documents them; "pay later" stands for a delayed (bank) payment method. */
export const stripeTestCards = {
  succeeds: "4242424242424242",
  declined: "4000000000000002",
  /** Succeeds, then the charge is disputed (Stripe's 4000 0000 0000 0259). */
  disputed: "4000000000000259",
} as const;

export interface StripeFakeOptions {
  secretKey: string;
  webhookSecret: string;
  /** Where signed webhooks go (the app's /api/webhooks/stripe). */
  webhookUrl?: string;
  /** Public origin of this fake (for checkout and portal URLs). */
  origin: () => string;
  /** A late (bank) payment settles this long after checkout unless settled by hand. Default 3 s. */
  latePaymentMs?: number;
}

export interface StripeFakeControl {
  switches: DeliverySwitches & ApiSwitches;
  setWebhookUrl(url: string | undefined): void;
  /** Pays an open checkout session as the hosted page would. */
  payCheckout(
    sessionId: string,
    how: { card?: string; late?: boolean; name?: string; addressLine1?: string; postalCode?: string },
  ): { ok: boolean; error?: string };
  /** Settles a late payment now. */
  settleLatePayment(sessionId: string, succeeded: boolean): void;
  /** Starts the next billing period of a subscription: a new invoice, paid (or canceled if it was set to cancel). */
  renewSubscription(subscriptionId: string): { invoiceId?: string; canceled: boolean };
  /** Opens a dispute on a charge for its full amount. */
  disputeCharge(chargeId: string): string;
  /** Closes a dispute as the bank decided (won: the money comes back to the merchant) and sends charge.dispute.closed. */
  closeDispute(disputeId: string, outcome: "won" | "lost"): void;
  /** Re-sends an already sent event (a processor retry). */
  resendEvent(eventId: string): void;
  /** Sends an arbitrary event as Stripe would (signed), about an object that may not exist here. */
  sendEvent(type: string, object: StripeObject): string;
  objects(
    kind: "checkout.session" | "subscription" | "invoice" | "charge" | "payment_intent" | "customer" | "dispute",
  ): StripeObject[];
  events(): Array<{ id: string; type: string }>;
  deliveries(): DeliveryRecord[];
  requests(): Array<{ method: string; path: string; body: string }>;
  idle(): Promise<void>;
}

export function createStripeFake(options: StripeFakeOptions) {
  const store = new Map<string, StripeObject>();
  const byKind = (kind: string) => [...store.values()].filter((o) => o.object === kind);
  const events: StripeObject[] = [];
  const deliveries: DeliveryRecord[] = [];
  const requests: Array<{ method: string; path: string; body: string }> = [];
  const idempotent = new Map<string, StripeObject>();
  let webhookUrl = options.webhookUrl;
  const switches: DeliverySwitches & ApiSwitches = { duplicates: false, outOfOrder: false, delayMs: 0, slowApiMs: 0 };
  const sender = createWebhookSender({
    switches: () => ({ ...switches }),
    target: () => webhookUrl,
    record: (d) => deliveries.push(d),
  });

  const put = (o: StripeObject) => (store.set(o.id, o), o);
  const sign = (body: string) => {
    const t = now();
    const v1 = createHmac("sha256", options.webhookSecret).update(`${t}.${body}`).digest("hex");
    return { "stripe-signature": `t=${t},v1=${v1}` };
  };
  function makeEvent(type: string, object: StripeObject): OutgoingEvent {
    const event = fromFixture("event", {
      id: newId("evt"),
      api_version: API_VERSION,
      type,
      data: { object: structuredClone(object) },
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    });
    delete event.context;
    events.push(event);
    return { id: event.id, type, body: JSON.stringify(event, null, 2), sign };
  }
  const emit = (batch: Array<[string, StripeObject]>) => sender.send(batch.map(([type, o]) => makeEvent(type, o)));

  // ---- objects -------------------------------------------------------------------------------
  function createPaymentIntent(session: StripeObject, status: string, charge: StripeObject | null) {
    return put(
      fromFixture("payment_intent", {
        id: newId("pi"),
        amount: session.amount_total,
        amount_received: status === "succeeded" ? session.amount_total : 0,
        currency: session.currency,
        customer: session.customer,
        status,
        latest_charge: charge?.id ?? null,
        metadata:
          (session.payment_intent_data as { metadata?: unknown } | undefined)?.metadata ?? session.metadata ?? {},
        description: null,
        invoice: null,
      }),
    );
  }
  function createCharge(
    amount: number,
    currency: string,
    customer: unknown,
    card: string,
    billing: { name?: string; addressLine1?: string; postalCode?: string },
  ) {
    const charge = fromFixture("charge", {
      id: newId("ch"),
      amount,
      amount_captured: amount,
      amount_refunded: 0,
      refunded: false,
      disputed: false,
      captured: true,
      paid: true,
      status: "succeeded",
      currency,
      customer,
      invoice: undefined,
      metadata: {},
      billing_details: {
        address: {
          city: null,
          country: null,
          line1: billing.addressLine1 ?? null,
          line2: null,
          postal_code: billing.postalCode ?? null,
          state: null,
        },
        email: null,
        name: billing.name ?? null,
        phone: null,
        tax_id: null,
      },
      receipt_url: "",
    });
    const pmd = structuredClone(
      (fixtures.charge as { payment_method_details?: { card?: Record<string, unknown> } }).payment_method_details ?? {},
    );
    if (pmd.card) pmd.card.last4 = card.slice(-4);
    charge.payment_method_details = pmd;
    charge.receipt_url = `${options.origin()}/receipts/${charge.id}`;
    return put(charge);
  }
  function createInvoice(
    subscription: StripeObject,
    amount: number,
    currency: string,
    paid: boolean,
    charge: StripeObject | null,
    pi: StripeObject | null,
  ) {
    const item = (subscription.items as { data: Array<Record<string, unknown>> }).data[0]!;
    const invoice = fromFixture("invoice", {
      id: newId("in"),
      customer: subscription.customer,
      currency,
      amount_due: amount,
      amount_paid: paid ? amount : 0,
      amount_remaining: paid ? 0 : amount,
      total: amount,
      subtotal: amount,
      status: paid ? "paid" : "open",
      billing_reason: "subscription_cycle",
      hosted_invoice_url: "",
      invoice_pdf: null,
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: subscription.id, metadata: subscription.metadata },
      },
      period_start: item.current_period_start,
      period_end: item.current_period_end,
      lines: { object: "list", data: [], has_more: false, url: "/v1/invoices/lines" },
      metadata: {},
    });
    invoice.hosted_invoice_url = `${options.origin()}/invoices/${invoice.id}`;
    put(invoice);
    if (pi && charge) {
      put(
        fromFixture("invoice_payment", {
          id: newId("inpay"),
          invoice: invoice.id,
          amount_paid: amount,
          amount_requested: amount,
          currency,
          is_default: true,
          status: "paid",
          payment: { type: "payment_intent", payment_intent: pi.id },
        }),
      );
    }
    return invoice;
  }

  function completeSession(
    session: StripeObject,
    card: string,
    billing: { name?: string; addressLine1?: string; postalCode?: string },
    late: boolean,
  ) {
    const amount = session.amount_total as number;
    const currency = session.currency as string;
    const batch: Array<[string, StripeObject]> = [];
    session.status = "complete";
    session.customer_details = {
      address: {
        city: null,
        country: "US",
        line1: billing.addressLine1 ?? null,
        line2: null,
        postal_code: billing.postalCode ?? null,
        state: null,
      },
      email: session.customer_email ?? null,
      name: billing.name ?? null,
      phone: null,
      tax_exempt: "none",
      tax_ids: [],
      business_name: null,
      individual_name: null,
    };
    if (session.mode === "payment") {
      if (late) {
        const pi = createPaymentIntent(session, "processing", null);
        session.payment_intent = pi.id;
        session.payment_status = "unpaid";
        lateBilling.set(session.id, billing);
        batch.push(["checkout.session.completed", session]);
        const timer = setTimeout(() => settleLatePayment(session.id, true), options.latePaymentMs ?? 3000);
        lateTimers.set(session.id, timer);
      } else {
        const charge = createCharge(amount, currency, session.customer, card, billing);
        const pi = createPaymentIntent(session, "succeeded", charge);
        charge.payment_intent = pi.id;
        session.payment_intent = pi.id;
        session.payment_status = "paid";
        batch.push(
          ["charge.succeeded", charge],
          ["payment_intent.succeeded", pi],
          ["checkout.session.completed", session],
        );
        if (card === stripeTestCards.disputed) setTimeout(() => disputeCharge(charge.id), 500);
      }
    } else {
      const start = now();
      const item = fromFixture("subscription_item", {
        id: newId("si"),
        current_period_start: start,
        current_period_end: start + 30 * 86400,
        price: {
          ...((fixtures.subscription_item as { price?: object }).price ?? {}),
          currency,
          unit_amount: amount,
          recurring: {
            interval: "month",
            interval_count: 1,
            meter: null,
            usage_type: "licensed",
            trial_period_days: null,
          },
        },
        quantity: 1,
        metadata: {},
      });
      const subscription = put(
        fromFixture("subscription", {
          id: newId("sub"),
          customer: session.customer,
          status: "active",
          cancel_at_period_end: false,
          cancel_at: null,
          canceled_at: null,
          ended_at: null,
          currency,
          metadata: (session.subscription_data as { metadata?: unknown } | undefined)?.metadata ?? {},
          items: { object: "list", data: [item], has_more: false, url: "/v1/subscription_items" },
          latest_invoice: null,
        }),
      );
      item.subscription = subscription.id;
      const charge = createCharge(amount, currency, session.customer, card, billing);
      const pi = createPaymentIntent(session, "succeeded", charge);
      charge.payment_intent = pi.id;
      const invoice = createInvoice(subscription, amount, currency, true, charge, pi);
      invoice.billing_reason = "subscription_create";
      subscription.latest_invoice = invoice.id;
      session.subscription = subscription.id;
      session.invoice = invoice.id;
      session.payment_status = "paid";
      batch.push(
        ["customer.subscription.created", subscription],
        ["invoice.paid", invoice],
        ["checkout.session.completed", session],
      );
    }
    emit(batch);
  }

  const lateTimers = new Map<string, NodeJS.Timeout>();
  const lateBilling = new Map<string, { name?: string; addressLine1?: string; postalCode?: string }>();
  function settleLatePayment(sessionId: string, succeeded: boolean) {
    clearTimeout(lateTimers.get(sessionId));
    lateTimers.delete(sessionId);
    const session = store.get(sessionId);
    if (!session || session.payment_status !== "unpaid") return;
    const pi = store.get(session.payment_intent as string)!;
    if (succeeded) {
      const charge = createCharge(
        session.amount_total as number,
        session.currency as string,
        session.customer,
        "bank",
        lateBilling.get(sessionId) ?? {},
      );
      charge.payment_intent = pi.id;
      pi.status = "succeeded";
      pi.amount_received = session.amount_total;
      pi.latest_charge = charge.id;
      session.payment_status = "paid";
      emit([
        ["payment_intent.succeeded", pi],
        ["checkout.session.async_payment_succeeded", session],
      ]);
    } else {
      pi.status = "requires_payment_method";
      emit([
        ["payment_intent.payment_failed", pi],
        ["checkout.session.async_payment_failed", session],
      ]);
    }
  }

  function disputeCharge(chargeId: string): string {
    const charge = store.get(chargeId);
    if (!charge) throw new Error(`no charge ${chargeId}`);
    const dispute = put(
      fromFixture("dispute", {
        id: newId("dp"),
        charge: charge.id,
        payment_intent: charge.payment_intent,
        amount: charge.amount,
        currency: charge.currency,
        status: "needs_response",
        reason: "fraudulent",
        metadata: {},
      }),
    );
    charge.disputed = true;
    emit([["charge.dispute.created", dispute]]);
    return dispute.id;
  }

  function closeDispute(disputeId: string, outcome: "won" | "lost") {
    const dispute = store.get(disputeId);
    if (!dispute || dispute.object !== "dispute") throw new Error(`no dispute ${disputeId}`);
    dispute.status = outcome;
    emit([["charge.dispute.closed", dispute]]);
  }

  function renewSubscription(subscriptionId: string) {
    const subscription = store.get(subscriptionId);
    if (!subscription) throw new Error(`no subscription ${subscriptionId}`);
    if (subscription.status === "canceled") return { canceled: true };
    const item = (subscription.items as { data: Array<Record<string, unknown>> }).data[0]!;
    if (subscription.cancel_at_period_end) {
      subscription.status = "canceled";
      subscription.ended_at = now();
      subscription.canceled_at = now();
      emit([["customer.subscription.deleted", subscription]]);
      return { canceled: true };
    }
    const start = item.current_period_end as number;
    item.current_period_start = start;
    item.current_period_end = start + 30 * 86400;
    const price = item.price as { unit_amount: number; currency: string };
    const charge = createCharge(price.unit_amount, price.currency, subscription.customer, stripeTestCards.succeeds, {});
    const pi = put(
      fromFixture("payment_intent", {
        id: newId("pi"),
        amount: price.unit_amount,
        amount_received: price.unit_amount,
        currency: price.currency,
        customer: subscription.customer,
        status: "succeeded",
        latest_charge: charge.id,
        metadata: {},
        invoice: null,
      }),
    );
    charge.payment_intent = pi.id;
    const invoice = createInvoice(subscription, price.unit_amount, price.currency, true, charge, pi);
    subscription.latest_invoice = invoice.id;
    emit([
      ["invoice.paid", invoice],
      ["customer.subscription.updated", subscription],
    ]);
    return { invoiceId: invoice.id, canceled: false };
  }

  function cancelSubscription(subscription: StripeObject) {
    subscription.status = "canceled";
    subscription.canceled_at = now();
    subscription.ended_at = now();
    subscription.cancel_at_period_end = false;
    emit([["customer.subscription.deleted", subscription]]);
  }

  function refund(params: Record<string, FormValue>) {
    const piId = str(params.payment_intent);
    const charge = store.get(
      str(params.charge) ?? (piId ? ((store.get(piId)?.latest_charge as string | undefined) ?? "") : ""),
    );
    if (!charge || charge.object !== "charge") return undefined;
    const remaining = (charge.amount as number) - (charge.amount_refunded as number);
    const amount = Math.min(Number(str(params.amount) ?? remaining), remaining);
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    const refundObject = put(
      fromFixture("refund", {
        id: newId("re"),
        amount,
        charge: charge.id,
        payment_intent: charge.payment_intent,
        currency: charge.currency,
        status: "succeeded",
        metadata: {},
      }),
    );
    emit([
      ["charge.refunded", charge],
      ["refund.created", refundObject],
    ]);
    return refundObject;
  }

  // ---- HTTP ---------------------------------------------------------------------------------
  const stripeError = (res: ServerResponse, status: number, type: string, message: string, param?: string) =>
    sendJson(res, status, { error: { type, message, ...(param ? { param } : {}) } }, { "request-id": newId("req") });
  const notFound = (res: ServerResponse, id: string) =>
    stripeError(res, 404, "invalid_request_error", `No such object: '${id}'`, "id");

  function expand(object: StripeObject, expandList: FormValue | undefined): StripeObject {
    const paths = Array.isArray(expandList) ? expandList.filter((e): e is string => typeof e === "string") : [];
    if (paths.length === 0) return object;
    const copy = structuredClone(object);
    for (const path of paths) {
      const value = copy[path];
      if (typeof value === "string" && store.has(value)) copy[path] = structuredClone(store.get(value));
    }
    return copy;
  }

  function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, body: string) {
    if (req.headers.authorization !== `Bearer ${options.secretKey}`) {
      return stripeError(
        res,
        401,
        "invalid_request_error",
        "Invalid API Key provided: " + (req.headers.authorization ?? "").slice(7, 15) + "****",
      );
    }
    const params =
      req.method === "GET" || req.method === "DELETE" ? parseBracketForm(url.search.slice(1)) : parseBracketForm(body);
    const key = req.headers["idempotency-key"];
    if (req.method === "POST" && typeof key === "string" && idempotent.has(key))
      return sendJson(res, 200, idempotent.get(key));
    const reply = (o: StripeObject) => {
      if (req.method === "POST" && typeof key === "string") idempotent.set(key, o);
      sendJson(res, 200, expand(o, params.expand), { "request-id": newId("req"), "stripe-version": API_VERSION });
    };
    const path = url.pathname;
    const get = (kind: string, id: string) => {
      const o = store.get(id);
      return o && o.object === kind ? o : undefined;
    };
    let m: RegExpMatchArray | null;

    if (req.method === "POST" && path === "/v1/customers") {
      return reply(
        put(
          fromFixture("customer", {
            id: newId("cus"),
            email: str(params.email) ?? null,
            name: str(params.name) ?? null,
            metadata: obj(params.metadata),
            address: null,
            shipping: null,
            phone: null,
          }),
        ),
      );
    }
    if (
      (m = path.match(
        /^\/v1\/(customers|subscriptions|invoices|charges|disputes|payment_intents|refunds)\/([^/]+)$/,
      )) &&
      req.method === "GET"
    ) {
      const kind = {
        customers: "customer",
        subscriptions: "subscription",
        invoices: "invoice",
        charges: "charge",
        disputes: "dispute",
        payment_intents: "payment_intent",
        refunds: "refund",
      }[m[1]!]!;
      const o = get(kind, m[2]!);
      return o ? reply(o) : notFound(res, m[2]!);
    }
    if (req.method === "POST" && path === "/v1/checkout/sessions") {
      const mode = str(params.mode);
      const line = obj((params.line_items as FormValue[] | undefined)?.[0]);
      const priceData = obj(line.price_data);
      const amount = Number(str(priceData.unit_amount)) * Number(str(line.quantity) ?? "1");
      if (mode !== "payment" && mode !== "subscription")
        return stripeError(res, 400, "invalid_request_error", "Invalid mode", "mode");
      if (!Number.isInteger(amount) || amount <= 0)
        return stripeError(
          res,
          400,
          "invalid_request_error",
          "Missing required param: line_items[0][price_data][unit_amount].",
          "line_items",
        );
      if (mode === "subscription" && !obj(priceData.recurring).interval) {
        return stripeError(
          res,
          400,
          "invalid_request_error",
          "You must provide at least one recurring price in `subscription` mode when using prices.",
          "line_items",
        );
      }
      const customer = str(params.customer);
      if (customer && !get("customer", customer)) return notFound(res, customer);
      const id = newId("cs_test");
      const session = put(
        fromFixture("checkout.session", {
          id,
          mode,
          status: "open",
          payment_status: "unpaid",
          amount_total: amount,
          amount_subtotal: amount,
          currency: str(priceData.currency) ?? "usd",
          customer: customer ?? null,
          customer_email: str(params.customer_email) ?? null,
          customer_details: null,
          client_reference_id: str(params.client_reference_id) ?? null,
          metadata: obj(params.metadata),
          payment_intent: null,
          subscription: null,
          invoice: null,
          success_url: str(params.success_url) ?? null,
          cancel_url: str(params.cancel_url) ?? null,
          url: `${options.origin()}/checkout/${id}`,
          expires_at: now() + 86400,
        }),
      );
      // Not part of Stripe's session object; kept privately for what payment creates later.
      Object.defineProperty(session, "payment_intent_data", {
        value: { metadata: obj(obj(params.payment_intent_data).metadata) },
        enumerable: false,
      });
      Object.defineProperty(session, "subscription_data", {
        value: { metadata: obj(obj(params.subscription_data).metadata) },
        enumerable: false,
      });
      Object.defineProperty(session, "line_item_name", {
        value: str(obj(priceData.product_data).name) ?? "",
        enumerable: false,
      });
      return reply(session);
    }
    if ((m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/)) && req.method === "GET") {
      const o = get("checkout.session", m[1]!);
      return o ? reply(o) : notFound(res, m[1]!);
    }
    if ((m = path.match(/^\/v1\/subscriptions\/([^/]+)$/)) && req.method === "DELETE") {
      const o = get("subscription", m[1]!);
      if (!o) return notFound(res, m[1]!);
      if (o.status !== "canceled") cancelSubscription(o);
      return reply(o);
    }
    if ((m = path.match(/^\/v1\/subscriptions\/([^/]+)$/)) && req.method === "POST") {
      const o = get("subscription", m[1]!);
      if (!o) return notFound(res, m[1]!);
      const cancel = str(params.cancel_at_period_end);
      if (cancel !== undefined) {
        o.cancel_at_period_end = cancel === "true";
        emit([["customer.subscription.updated", o]]);
      }
      return reply(o);
    }
    if (req.method === "GET" && path === "/v1/invoice_payments") {
      const payment = obj(params.payment);
      const data = byKind("invoice_payment").filter((p) => {
        const pay = p.payment as { payment_intent?: string };
        return (
          (!str(params.invoice) || p.invoice === str(params.invoice)) &&
          (!str(payment.payment_intent) || pay.payment_intent === str(payment.payment_intent))
        );
      });
      return sendJson(res, 200, { object: "list", data, has_more: false, url: "/v1/invoice_payments" });
    }
    if (req.method === "POST" && path === "/v1/refunds") {
      const r = refund(params);
      return r
        ? reply(r)
        : stripeError(
            res,
            400,
            "invalid_request_error",
            "No such charge or payment intent to refund",
            "payment_intent",
          );
    }
    if (req.method === "POST" && path === "/v1/billing_portal/sessions") {
      const customer = str(params.customer);
      if (!customer || !get("customer", customer)) return notFound(res, customer ?? "");
      const id = newId("bps");
      return reply(
        put(
          fromFixture("billing_portal.session", {
            id,
            customer,
            return_url: str(params.return_url) ?? null,
            url: `${options.origin()}/billing_portal/${id}`,
            configuration: "bpc_fake",
          }),
        ),
      );
    }
    return stripeError(res, 404, "invalid_request_error", `Unrecognized request URL (${req.method}: ${path}).`);
  }

  // ---- hosted pages -------------------------------------------------------------------------
  const page = (
    title: string,
    content: string,
  ) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}label{display:block;margin:.8rem 0 .3rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}button{margin-top:1rem;width:100%;padding:.7rem;font-size:1rem;background:#635bff;color:#fff;border:0;border-radius:6px;cursor:pointer}button.secondary{background:#e3e8ee;color:#1a1f36}.error{color:#c0123c}.note{color:#697386;font-size:.85rem}</style></head><body>
<p class="note">Local Stripe test mode: no real payment is made.</p>${content}</body></html>`;

  function checkoutPage(session: StripeObject, error?: string) {
    const price = `${((session.amount_total as number) / 100).toFixed(2)} ${String(session.currency).toUpperCase()}`;
    const name = (session as unknown as { line_item_name?: string }).line_item_name ?? "";
    const done = session.status !== "open";
    return page(
      "Checkout",
      `<h1>${escapeHtml(name)}</h1><p data-testid="checkout-amount">${escapeHtml(price)}${session.mode === "subscription" ? " / month" : ""}</p>
${error ? `<p class="error" role="alert" data-testid="checkout-error">${escapeHtml(error)}</p>` : ""}
${
  done
    ? `<p>This checkout is complete.</p>`
    : `<form method="post" action="/checkout/${session.id}/pay">
<label for="card">Card number</label><input id="card" name="card" inputmode="numeric" value="${stripeTestCards.succeeds}" autocomplete="off">
<p class="note">${stripeTestCards.succeeds} succeeds · ${stripeTestCards.declined} is declined · ${stripeTestCards.disputed} succeeds, then is disputed</p>
<label for="name">Name on card</label><input id="name" name="name" value="">
<label for="line1">Billing address</label><input id="line1" name="line1" value="">
<label for="postal">Postal code</label><input id="postal" name="postal" value="">
<button type="submit" name="method" value="card" data-testid="checkout-pay">Pay ${escapeHtml(price)}</button>
${session.mode === "payment" ? `<button type="submit" name="method" value="late" class="secondary" data-testid="checkout-pay-late">Pay later by bank transfer</button>` : ""}
</form>`
}
${session.cancel_url && !done ? `<p><a href="${escapeHtml(textOf(session.cancel_url))}">Cancel and go back</a></p>` : ""}`,
    );
  }

  function payCheckout(
    sessionId: string,
    how: { card?: string; late?: boolean; name?: string; addressLine1?: string; postalCode?: string },
  ) {
    const session = store.get(sessionId);
    if (!session || session.object !== "checkout.session") return { ok: false, error: "No such checkout session." };
    if (session.status !== "open") return { ok: false, error: "This checkout is no longer open." };
    const card = (how.card ?? stripeTestCards.succeeds).replace(/\s+/g, "");
    if (!how.late && card === stripeTestCards.declined) return { ok: false, error: "Your card was declined." };
    if (!how.late && !/^\d{12,19}$/.test(card)) return { ok: false, error: "Your card number is invalid." };
    completeSession(
      session,
      card,
      { name: how.name, addressLine1: how.addressLine1, postalCode: how.postalCode },
      how.late === true,
    );
    return { ok: true };
  }

  function handlePages(req: IncomingMessage, res: ServerResponse, url: URL, body: string): boolean {
    let m: RegExpMatchArray | null;
    if ((m = url.pathname.match(/^\/checkout\/([^/]+)$/)) && req.method === "GET") {
      const session = store.get(m[1]!);
      if (!session) return (sendHtml(res, 404, page("Not found", "<p>No such checkout.</p>")), true);
      sendHtml(res, 200, checkoutPage(session));
      return true;
    }
    if ((m = url.pathname.match(/^\/checkout\/([^/]+)\/pay$/)) && req.method === "POST") {
      const form = new URLSearchParams(body);
      const session = store.get(m[1]!);
      const result = payCheckout(m[1]!, {
        card: form.get("card") ?? undefined,
        late: form.get("method") === "late",
        name: form.get("name") ?? undefined,
        addressLine1: form.get("line1") ?? undefined,
        postalCode: form.get("postal") ?? undefined,
      });
      if (!result.ok || !session)
        return (
          sendHtml(
            res,
            402,
            session ? checkoutPage(session, result.error) : page("Error", `<p>${escapeHtml(result.error ?? "")}</p>`),
          ),
          true
        );
      redirect(res, textOf(session.success_url, "/").replace("{CHECKOUT_SESSION_ID}", session.id));
      return true;
    }
    if ((m = url.pathname.match(/^\/billing_portal\/([^/]+)$/)) && req.method === "GET") {
      const portal = store.get(m[1]!);
      if (!portal) return (sendHtml(res, 404, page("Not found", "<p>No such session.</p>")), true);
      const subs = byKind("subscription").filter((s) => s.customer === portal.customer && s.status !== "canceled");
      const rows = subs
        .map((s) => {
          const item = (
            s.items as { data: Array<{ current_period_end: number; price: { unit_amount: number; currency: string } }> }
          ).data[0]!;
          const end = new Date(item.current_period_end * 1000).toISOString().slice(0, 10);
          return `<section><p>${escapeHtml(String((s.metadata as Record<string, string>).plan_id ?? "plan"))}: ${(item.price.unit_amount / 100).toFixed(2)} ${item.price.currency.toUpperCase()} / month</p>
<p>${s.cancel_at_period_end ? `Cancels on ${end}` : `Renews on ${end}`}</p>
<form method="post" action="/billing_portal/${portal.id}/subscriptions/${s.id}"><input type="hidden" name="cancel_at_period_end" value="${s.cancel_at_period_end ? "false" : "true"}">
<button type="submit" data-testid="portal-toggle-cancel">${s.cancel_at_period_end ? "Don't cancel" : "Cancel at period end"}</button></form></section>`;
        })
        .join("");
      const invoices = byKind("invoice")
        .filter((i) => i.customer === portal.customer)
        .map(
          (i) =>
            `<li><a href="/invoices/${i.id}">${escapeHtml(i.id)}</a>: ${((i.amount_paid as number) / 100).toFixed(2)} ${String(i.currency).toUpperCase()} (${escapeHtml(String(i.status))})</li>`,
        )
        .join("");
      sendHtml(
        res,
        200,
        page(
          "Billing",
          `<h1>Billing</h1>${rows || "<p>No active subscription.</p>"}<h2>Invoices</h2><ul>${invoices}</ul><p><a href="${escapeHtml(textOf(portal.return_url, "/"))}">Return</a></p>`,
        ),
      );
      return true;
    }
    if ((m = url.pathname.match(/^\/billing_portal\/([^/]+)\/subscriptions\/([^/]+)$/)) && req.method === "POST") {
      const portal = store.get(m[1]!);
      const s = store.get(m[2]!);
      if (portal && s && s.customer === portal.customer) {
        s.cancel_at_period_end = new URLSearchParams(body).get("cancel_at_period_end") === "true";
        emit([["customer.subscription.updated", s]]);
      }
      redirect(res, `/billing_portal/${m[1]!}`);
      return true;
    }
    if ((m = url.pathname.match(/^\/(receipts|invoices)\/([^/]+)$/)) && req.method === "GET") {
      const o = store.get(m[2]!);
      if (!o) return (sendHtml(res, 404, page("Not found", "<p>No such receipt.</p>")), true);
      const amount = ((m[1] === "invoices" ? (o.amount_paid as number) : (o.amount as number)) / 100).toFixed(2);
      sendHtml(
        res,
        200,
        page(
          "Receipt",
          `<h1>Receipt</h1><p data-testid="receipt-amount">${amount} ${String(o.currency).toUpperCase()}</p><p>${escapeHtml(o.id)}</p>`,
        ),
      );
      return true;
    }
    return false;
  }

  const control: StripeFakeControl = {
    switches,
    setWebhookUrl: (url) => (webhookUrl = url),
    payCheckout,
    settleLatePayment,
    renewSubscription,
    disputeCharge,
    closeDispute,
    resendEvent(eventId) {
      const event = events.find((e) => e.id === eventId);
      if (event) sender.send([{ id: event.id, type: String(event.type), body: JSON.stringify(event, null, 2), sign }]);
    },
    sendEvent(type, object) {
      const event = makeEvent(type, object);
      sender.send([event]);
      return event.id;
    },
    objects: (kind) => byKind(kind),
    events: () => events.map((e) => ({ id: e.id, type: String(e.type) })),
    deliveries: () => [...deliveries],
    requests: () => [...requests],
    idle: () => sender.idle(),
  };

  return {
    control,
    /** Handles a request under this fake; false when the path is not Stripe's. */
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      const isApi = url.pathname.startsWith("/v1/");
      if (!isApi && !/^\/(checkout|billing_portal|receipts|invoices)\//.test(url.pathname)) return false;
      const body = await new Promise<string>((resolve) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      });
      if (isApi) {
        requests.push({ method: req.method ?? "GET", path: url.pathname, body });
        if (switches.slowApiMs > 0) await new Promise((r) => setTimeout(r, switches.slowApiMs));
        handleApi(req, res, url, body);
        return true;
      }
      return handlePages(req, res, url, body);
    },
    stop() {
      for (const timer of lateTimers.values()) clearTimeout(timer);
    },
  };
}
