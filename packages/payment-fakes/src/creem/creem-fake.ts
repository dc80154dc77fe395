// A local stand-in for the parts of Creem's API that AnimateImg uses, faithful enough that the
// official `creem` SDK works against it unchanged except `serverURL`. The SDK validates every
// answer against Creem's published schemas, so the shapes here are checked on every call.
// It serves a hosted checkout page a browser can pay on and a customer portal page, and
// delivers webhooks signed as Creem signs them: `creem-signature` = hex HMAC-SHA256 of the raw
// body with the webhook secret. Payloads are `{ id, eventType, created_at (ms), object }`.
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
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

export type CreemObject = Record<string, unknown> & { id: string; object: string };

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
const iso = (ms = Date.now()) => new Date(ms).toISOString();
/** A stored field that holds an id or a word; anything else reads as empty. */
const textOf = (value: unknown): string => (typeof value === "string" ? value : "");
const DAY = 86_400_000;

/** Test cards, as on the Stripe fake (Creem's test mode takes Stripe's test cards). */
export const creemTestCards = {
  succeeds: "4242424242424242",
  declined: "4000000000000002",
  /** Succeeds, then the payment is disputed. */
  disputed: "4000000000000259",
} as const;

/** A product the fake knows from the start (the app's offers, by their Creem product ids). */
export interface CreemFakeProduct {
  id: string;
  name: string;
  /** Minor units. */
  price: number;
  /** ISO code, any case (Creem answers upper case). */
  currency: string;
  billingType: "onetime" | "recurring";
}

export interface CreemFakeOptions {
  apiKey: string;
  webhookSecret: string;
  webhookUrl?: string | undefined;
  origin: () => string;
  products?: CreemFakeProduct[] | undefined;
  /** A "pay later" checkout settles this long after it was submitted unless settled by hand. Default 3 s. */
  latePaymentMs?: number | undefined;
}

export interface CreemPayment {
  card?: string | undefined;
  late?: boolean | undefined;
  email?: string | undefined;
  name?: string | undefined;
  addressLine1?: string | undefined;
  postalCode?: string | undefined;
}

export interface CreemFakeControl {
  switches: DeliverySwitches & ApiSwitches;
  setWebhookUrl(url: string | undefined): void;
  /** Pays an open checkout as the hosted page would. */
  payCheckout(checkoutId: string, how: CreemPayment): { ok: boolean; error?: string };
  /** Settles a "pay later" checkout now. */
  settleLatePayment(checkoutId: string, succeeded: boolean): void;
  /** The next billing period: paid (a new transaction), canceled if scheduled to, or expired unpaid when `fail`. */
  renewSubscription(
    subscriptionId: string,
    options?: { fail?: boolean },
  ): { transactionId?: string; canceled: boolean };
  /** Opens a dispute (chargeback) on a paid transaction. */
  disputeTransaction(transactionId: string): string;
  resendEvent(eventId: string): void;
  objects(
    kind: "checkout" | "subscription" | "transaction" | "order" | "customer" | "product" | "refund" | "dispute",
  ): CreemObject[];
  events(): Array<{ id: string; type: string }>;
  /** The raw event bodies as sent (tests check them against the SDK's webhook schemas). */
  eventBodies(): string[];
  deliveries(): DeliveryRecord[];
  requests(): Array<{ method: string; path: string; body: string }>;
  idle(): Promise<void>;
}

export function createCreemFake(options: CreemFakeOptions) {
  const store = new Map<string, CreemObject>();
  const byKind = (kind: string) => [...store.values()].filter((o) => o.object === kind);
  const put = <T extends CreemObject>(o: T) => (store.set(o.id, o), o);
  const get = (kind: string, id: string | null | undefined) => {
    const o = id ? store.get(id) : undefined;
    return o && o.object === kind ? o : undefined;
  };
  const events: Array<{ id: string; type: string; body: string }> = [];
  const deliveries: DeliveryRecord[] = [];
  const requests: Array<{ method: string; path: string; body: string }> = [];
  let webhookUrl = options.webhookUrl;
  const switches: DeliverySwitches & ApiSwitches = { duplicates: false, outOfOrder: false, delayMs: 0, slowApiMs: 0 };
  const sender = createWebhookSender({
    switches: () => ({ ...switches }),
    target: () => webhookUrl,
    record: (d) => deliveries.push(d),
  });
  const lateTimers = new Map<string, NodeJS.Timeout>();
  const disputeTimers = new Set<NodeJS.Timeout>();
  const sign = (body: string) => ({
    "creem-signature": createHmac("sha256", options.webhookSecret).update(body).digest("hex"),
  });

  // ---- objects ------------------------------------------------------------------------------
  function createProduct(p: {
    id?: string;
    name: string;
    description?: string;
    price: number;
    currency: string;
    billingType: "onetime" | "recurring";
  }) {
    return put({
      id: p.id ?? newId("prod"),
      mode: "test",
      object: "product",
      name: p.name,
      description: p.description ?? p.name,
      price: p.price,
      currency: p.currency.toUpperCase(),
      billing_type: p.billingType,
      billing_period: p.billingType === "recurring" ? "every-month" : "once",
      status: "active",
      tax_mode: "inclusive",
      tax_category: "saas",
      product_url: `${options.origin()}/product/${p.id ?? ""}`,
      default_success_url: null,
      created_at: iso(),
      updated_at: iso(),
    });
  }
  for (const p of options.products ?? []) createProduct(p);

  function createCustomer(fields: {
    email: string;
    name?: string | null;
    metadata?: Record<string, unknown>;
    externalId?: string | null;
    country?: string | null;
  }) {
    return put({
      id: newId("cust"),
      mode: "test",
      object: "customer",
      email: fields.email,
      name: fields.name ?? null,
      metadata: fields.metadata ?? {},
      country: fields.country ?? null,
      external_id: fields.externalId ?? null,
      created_at: iso(),
      updated_at: iso(),
    });
  }

  function createTransaction(fields: {
    amount: number;
    currency: string;
    type: "payment" | "invoice";
    order: string;
    subscription?: string | null;
    customer: string;
    periodStart?: number;
    periodEnd?: number;
  }) {
    return put({
      id: newId("tran"),
      mode: "test",
      object: "transaction",
      amount: fields.amount,
      amount_paid: fields.amount,
      discount_amount: 0,
      currency: fields.currency,
      type: fields.type,
      tax_country: null,
      tax_amount: 0,
      status: "paid",
      refunded_amount: null,
      order: fields.order,
      subscription: fields.subscription ?? null,
      customer: fields.customer,
      description: fields.type === "invoice" ? "Subscription payment" : "One-time payment",
      ...(fields.periodStart !== undefined ? { period_start: fields.periodStart, period_end: fields.periodEnd } : {}),
      created_at: Date.now(),
    });
  }

  function createOrder(fields: {
    customer: string;
    product: CreemObject;
    status: "pending" | "paid";
    type: "onetime" | "recurring";
  }) {
    const amount = fields.product.price as number;
    return put({
      id: newId("ord"),
      mode: "test",
      object: "order",
      customer: fields.customer,
      product: fields.product.id,
      transaction: null as string | null,
      amount,
      sub_total: amount,
      tax_amount: 0,
      discount_amount: 0,
      amount_due: amount,
      amount_paid: fields.status === "paid" ? amount : 0,
      currency: fields.product.currency,
      status: fields.status,
      type: fields.type,
      created_at: iso(),
      updated_at: iso(),
    });
  }

  /** The subscription as Creem returns it: product and customer expanded, the last transaction inline. */
  function subscriptionView(s: CreemObject): CreemObject {
    const lastTransaction = get("transaction", s.last_transaction_id as string | undefined);
    return {
      ...s,
      product: structuredClone(store.get(s.product as string)),
      customer: structuredClone(store.get(s.customer as string)),
      ...(lastTransaction ? { last_transaction: structuredClone(lastTransaction) } : {}),
    };
  }
  /** The checkout as Creem returns it: order, subscription, customer and product expanded once paid. */
  function checkoutView(c: CreemObject): CreemObject {
    const view: CreemObject = { ...c, product: structuredClone(store.get(c.product as string)) };
    const order = get("order", c.order as string | undefined);
    if (order) view.order = structuredClone(order);
    else delete view.order;
    const subscription = get("subscription", c.subscription as string | undefined);
    if (subscription) view.subscription = subscriptionView(subscription);
    else delete view.subscription;
    const customer = get("customer", c.customer as string | undefined);
    if (customer) view.customer = structuredClone(customer);
    else delete view.customer;
    return view;
  }

  function makeEvent(type: string, object: CreemObject): OutgoingEvent {
    const id = newId("evt");
    const body = JSON.stringify({ id, eventType: type, created_at: Date.now(), object });
    events.push({ id, type, body });
    return { id, type, body, sign };
  }
  const emit = (batch: Array<[string, CreemObject]>) => sender.send(batch.map(([type, o]) => makeEvent(type, o)));

  // ---- payments -----------------------------------------------------------------------------
  function customerFor(checkout: CreemObject, how: CreemPayment): CreemObject {
    const existing = get("customer", checkout.customer as string | undefined);
    if (existing) return existing;
    const requested = checkout.customer_request as { email?: string; name?: string } | undefined;
    const email = requested?.email ?? how.email ?? "buyer@example.test";
    // Creem keeps one customer per email in a store.
    const byEmail = byKind("customer").find((c) => c.email === email);
    if (byEmail) return byEmail;
    return createCustomer({ email, name: how.name ?? requested?.name ?? null, country: "US" });
  }

  function completeCheckout(checkout: CreemObject, how: CreemPayment, card: string) {
    const product = store.get(checkout.product as string)!;
    const customer = customerFor(checkout, how);
    checkout.customer = customer.id;
    const recurring = product.billing_type === "recurring";
    const order =
      get("order", checkout.order as string | undefined) ??
      createOrder({ customer: customer.id, product, status: "paid", type: recurring ? "recurring" : "onetime" });
    order.status = "paid";
    order.amount_paid = order.amount;
    order.updated_at = iso();
    checkout.order = order.id;
    const batch: Array<[string, CreemObject]> = [];
    if (recurring) {
      const start = Date.now();
      const subscription = put({
        id: newId("sub"),
        mode: "test",
        object: "subscription",
        product: product.id,
        customer: customer.id,
        items: [
          {
            id: newId("sitem"),
            mode: "test",
            object: "subscription_item",
            product_id: product.id,
            price_id: newId("pprice"),
            units: 1,
          },
        ],
        collection_method: "charge_automatically",
        status: "active",
        last_transaction_id: undefined as string | undefined,
        last_transaction_date: iso(start),
        next_transaction_date: iso(start + 30 * DAY),
        current_period_start_date: iso(start),
        current_period_end_date: iso(start + 30 * DAY),
        canceled_at: null,
        created_at: iso(start),
        updated_at: iso(start),
        // Creem copies the checkout's metadata onto the subscription it creates.
        metadata: structuredClone(checkout.metadata ?? {}),
      });
      const transaction = createTransaction({
        amount: order.amount as number,
        currency: order.currency as string,
        type: "invoice",
        order: order.id,
        subscription: subscription.id,
        customer: customer.id,
        periodStart: start,
        periodEnd: start + 30 * DAY,
      });
      subscription.last_transaction_id = transaction.id;
      order.transaction = transaction.id;
      checkout.subscription = subscription.id;
      checkout.status = "completed";
      batch.push(
        ["checkout.completed", checkoutView(checkout)],
        ["subscription.active", subscriptionView(subscription)],
        ["subscription.paid", subscriptionView(subscription)],
      );
    } else {
      const transaction = createTransaction({
        amount: order.amount as number,
        currency: order.currency as string,
        type: "payment",
        order: order.id,
        customer: customer.id,
      });
      order.transaction = transaction.id;
      checkout.status = "completed";
      batch.push(["checkout.completed", checkoutView(checkout)]);
      if (card === creemTestCards.disputed) {
        const timer = setTimeout(() => (disputeTimers.delete(timer), disputeTransaction(transaction.id)), 500);
        disputeTimers.add(timer);
      }
    }
    emit(batch);
  }

  function payCheckout(checkoutId: string, how: CreemPayment): { ok: boolean; error?: string } {
    const checkout = get("checkout", checkoutId);
    if (!checkout) return { ok: false, error: "No such checkout." };
    if (checkout.status !== "pending") return { ok: false, error: "This checkout is no longer open." };
    const card = (how.card ?? creemTestCards.succeeds).replace(/\s+/g, "");
    if (!how.late && card === creemTestCards.declined) return { ok: false, error: "Your card was declined." };
    if (!how.late && !/^\d{12,19}$/.test(card)) return { ok: false, error: "Your card number is invalid." };
    const product = store.get(checkout.product as string)!;
    if (how.late) {
      // A delayed payment method: the checkout is processing, its order pending, no event yet.
      if (product.billing_type === "recurring") return { ok: false, error: "Subscriptions need a card." };
      const customer = customerFor(checkout, how);
      checkout.customer = customer.id;
      const order = createOrder({ customer: customer.id, product, status: "pending", type: "onetime" });
      checkout.order = order.id;
      checkout.status = "processing";
      const timer = setTimeout(() => settleLatePayment(checkout.id, true), options.latePaymentMs ?? 3000);
      lateTimers.set(checkout.id, timer);
      return { ok: true };
    }
    completeCheckout(checkout, how, card);
    return { ok: true };
  }

  function settleLatePayment(checkoutId: string, succeeded: boolean) {
    clearTimeout(lateTimers.get(checkoutId));
    lateTimers.delete(checkoutId);
    const checkout = get("checkout", checkoutId);
    if (!checkout || checkout.status !== "processing") return;
    if (succeeded) return completeCheckout(checkout, {}, "bank");
    checkout.status = "expired";
  }

  function disputeTransaction(transactionId: string): string {
    const transaction = get("transaction", transactionId);
    if (!transaction) throw new Error(`no transaction ${transactionId}`);
    transaction.status = "chargedBack";
    const dispute = put({
      id: newId("disp"),
      mode: "test",
      object: "dispute",
      amount: transaction.amount,
      currency: transaction.currency,
      transaction: structuredClone(transaction),
      order: transaction.order as string,
      ...(transaction.subscription ? { subscription: transaction.subscription as string } : {}),
      customer: transaction.customer as string,
      created_at: Date.now(),
    });
    emit([["dispute.created", dispute]]);
    return dispute.id;
  }

  function refundTransaction(transaction: CreemObject) {
    transaction.refunded_amount = transaction.amount;
    transaction.status = "refunded";
    const refund = put({
      id: newId("ref"),
      mode: "test",
      object: "refund",
      status: "succeeded",
      refund_amount: transaction.amount,
      refund_currency: transaction.currency,
      reason: "requested_by_customer",
      transaction: structuredClone(transaction),
      order: transaction.order as string,
      ...(transaction.subscription ? { subscription: transaction.subscription as string } : {}),
      customer: transaction.customer as string,
      created_at: Date.now(),
    });
    emit([["refund.created", refund]]);
    return refund;
  }

  function renewSubscription(subscriptionId: string, renewal: { fail?: boolean } = {}) {
    const s = get("subscription", subscriptionId);
    if (!s) throw new Error(`no subscription ${subscriptionId}`);
    if (s.status === "canceled") return { canceled: true };
    if (s.status === "scheduled_cancel") {
      s.status = "canceled";
      s.canceled_at = iso();
      s.updated_at = iso();
      emit([["subscription.canceled", subscriptionView(s)]]);
      return { canceled: true };
    }
    if (renewal.fail) {
      // Creem: the period ended without a payment; retries may follow, so not terminal.
      s.status = "unpaid";
      s.updated_at = iso();
      emit([["subscription.expired", subscriptionView(s)]]);
      return { canceled: false };
    }
    const product = store.get(s.product as string)!;
    const start = Date.parse(s.current_period_end_date as string);
    const order = createOrder({ customer: s.customer as string, product, status: "paid", type: "recurring" });
    const transaction = createTransaction({
      amount: product.price as number,
      currency: product.currency as string,
      type: "invoice",
      order: order.id,
      subscription: s.id,
      customer: s.customer as string,
      periodStart: start,
      periodEnd: start + 30 * DAY,
    });
    order.transaction = transaction.id;
    Object.assign(s, {
      status: "active",
      last_transaction_id: transaction.id,
      last_transaction_date: iso(),
      current_period_start_date: iso(start),
      current_period_end_date: iso(start + 30 * DAY),
      next_transaction_date: iso(start + 30 * DAY),
      updated_at: iso(),
    });
    emit([
      ["subscription.paid", subscriptionView(s)],
      ["subscription.update", subscriptionView(s)],
    ]);
    return { transactionId: transaction.id, canceled: false };
  }

  function cancelSubscription(s: CreemObject, mode: "immediate" | "scheduled") {
    if (s.status === "canceled") return;
    s.updated_at = iso();
    if (mode === "scheduled") {
      s.status = "scheduled_cancel";
      emit([
        ["subscription.scheduled_cancel", subscriptionView(s)],
        ["subscription.update", subscriptionView(s)],
      ]);
      return;
    }
    s.status = "canceled";
    s.canceled_at = iso();
    emit([["subscription.canceled", subscriptionView(s)]]);
  }

  // ---- HTTP API -----------------------------------------------------------------------------
  /** Creem's error envelope. */
  const creemError = (res: ServerResponse, status: number, message: string) =>
    sendJson(res, status, {
      trace_id: randomBytes(8).toString("hex"),
      status,
      error: status === 404 ? "Not Found" : status === 401 || status === 403 ? "Forbidden" : "Bad Request",
      message: [message],
      timestamp: Date.now(),
    });

  function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, body: string) {
    if (req.headers["x-api-key"] !== options.apiKey) return creemError(res, 403, "Invalid API key");
    let input: Record<string, unknown> = {};
    if (body) {
      try {
        input = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return creemError(res, 400, "Body is not JSON");
      }
    }
    const q = url.searchParams;
    const path = url.pathname;
    const method = req.method ?? "GET";
    const reply = (o: unknown) => sendJson(res, 200, o);
    let m: RegExpMatchArray | null;

    if (method === "POST" && path === "/v1/products") {
      const billingType = input.billing_type === "recurring" ? "recurring" : "onetime";
      if (typeof input.name !== "string" || typeof input.price !== "number" || typeof input.currency !== "string")
        return creemError(res, 400, "name, price and currency are required");
      return reply(
        createProduct({
          name: input.name,
          description: typeof input.description === "string" ? input.description : input.name,
          price: input.price,
          currency: input.currency,
          billingType,
        }),
      );
    }
    if (method === "GET" && (m = path.match(/^\/v1\/products\/([^/]+)$/)) && m[1] !== "search") {
      const p = get("product", m[1]);
      return p ? reply(p) : creemError(res, 404, "Product not found");
    }
    if (method === "GET" && path === "/v1/products/search") {
      const items = byKind("product");
      return reply({
        items,
        pagination: { total_records: items.length, total_pages: 1, current_page: 1, next_page: null, prev_page: null },
      });
    }
    if (method === "POST" && path === "/v1/customers") {
      if (typeof input.email !== "string") return creemError(res, 400, "email is required");
      return reply(
        createCustomer({
          email: input.email,
          name: typeof input.name === "string" ? input.name : null,
          metadata: (input.metadata as Record<string, unknown> | undefined) ?? {},
          externalId: typeof input.external_id === "string" ? input.external_id : null,
        }),
      );
    }
    if (method === "GET" && path === "/v1/customers") {
      const c = q.get("customer_id")
        ? get("customer", q.get("customer_id"))
        : byKind("customer").find((x) => x.email === q.get("email"));
      return c ? reply(c) : creemError(res, 404, "Customer not found");
    }
    if (method === "POST" && path === "/v1/customers/billing") {
      const c = get("customer", input.customer_id as string | undefined);
      if (!c) return creemError(res, 404, "Customer not found");
      return reply({ customer_portal_link: `${options.origin()}/portal/${portalToken(c.id)}` });
    }
    if (method === "POST" && path === "/v1/checkouts") {
      const product = get("product", input.product_id as string | undefined);
      if (!product) return creemError(res, 404, "Product not found");
      const customerInput = (input.customer ?? {}) as { id?: string; email?: string; name?: string };
      if (customerInput.id && !get("customer", customerInput.id)) return creemError(res, 404, "Customer not found");
      const id = newId("ch");
      const checkout = put({
        id,
        mode: "test",
        object: "checkout",
        status: "pending",
        ...(typeof input.request_id === "string" ? { request_id: input.request_id } : {}),
        product: product.id,
        units: typeof input.units === "number" ? input.units : 1,
        ...(customerInput.id ? { customer: customerInput.id } : {}),
        checkout_url: `${options.origin()}/checkout/${id}`,
        success_url: typeof input.success_url === "string" ? input.success_url : null,
        metadata: (input.metadata as Record<string, unknown> | undefined) ?? {},
      });
      // Not part of Creem's checkout object: kept for the customer the payment creates.
      Object.defineProperty(checkout, "customer_request", { value: customerInput, enumerable: false });
      return reply(checkoutView(checkout));
    }
    if (method === "GET" && path === "/v1/checkouts") {
      const c = get("checkout", q.get("checkout_id"));
      return c ? reply(checkoutView(c)) : creemError(res, 404, "Checkout not found");
    }
    if (method === "GET" && path === "/v1/subscriptions") {
      const s = get("subscription", q.get("subscription_id"));
      return s ? reply(subscriptionView(s)) : creemError(res, 404, "Subscription not found");
    }
    if (method === "POST" && (m = path.match(/^\/v1\/subscriptions\/([^/]+)\/cancel$/))) {
      const s = get("subscription", m[1]);
      if (!s) return creemError(res, 404, "Subscription not found");
      cancelSubscription(s, input.mode === "scheduled" ? "scheduled" : "immediate");
      return reply(subscriptionView(s));
    }
    if (method === "GET" && path === "/v1/transactions") {
      const t = get("transaction", q.get("transaction_id"));
      return t ? reply(t) : creemError(res, 404, "Transaction not found");
    }
    if (method === "GET" && path === "/v1/transactions/search") {
      const items = byKind("transaction").filter(
        (t) =>
          (!q.get("customer_id") || t.customer === q.get("customer_id")) &&
          (!q.get("order_id") || t.order === q.get("order_id")),
      );
      return reply({
        items,
        pagination: { total_records: items.length, total_pages: 1, current_page: 1, next_page: null, prev_page: null },
      });
    }
    if (method === "POST" && path === "/v1/refunds") {
      const t = get("transaction", input.transaction_id as string | undefined);
      if (!t) return creemError(res, 404, "Transaction not found");
      if (t.status !== "paid") return creemError(res, 400, "Transaction is not refundable");
      refundTransaction(t);
      return reply({ status: "succeeded" });
    }
    return creemError(res, 404, `Cannot ${method} ${path}`);
  }

  // The portal link carries a token, not the bare customer id (it is a bearer link).
  const portalTokens = new Map<string, string>();
  function portalToken(customerId: string) {
    const token = createHash("sha256").update(`${options.apiKey}:${customerId}`).digest("hex").slice(0, 32);
    portalTokens.set(token, customerId);
    return token;
  }

  // ---- hosted pages -------------------------------------------------------------------------
  const page = (
    title: string,
    content: string,
  ) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#111}label{display:block;margin:.8rem 0 .3rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}button{margin-top:1rem;width:100%;padding:.7rem;font-size:1rem;background:#ffbe98;color:#111;border:0;border-radius:6px;cursor:pointer}button.secondary{background:#eee}.error{color:#b00020}.note{color:#666;font-size:.85rem}</style></head><body>
<p class="note">Local Creem test mode: no real payment is made.</p>${content}</body></html>`;
  const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;

  function checkoutPage(checkout: CreemObject, error?: string) {
    const product = store.get(checkout.product as string)!;
    const price = money(product.price as number, product.currency as string);
    const recurring = product.billing_type === "recurring";
    const open = checkout.status === "pending";
    const knownEmail =
      get("customer", checkout.customer as string | undefined)?.email ??
      (checkout.customer_request as { email?: string } | undefined)?.email ??
      "";
    return page(
      "Checkout",
      `<h1>${escapeHtml(String(product.name))}</h1><p data-testid="checkout-amount">${escapeHtml(price)}${recurring ? " / month" : ""}</p>
${error ? `<p class="error" role="alert" data-testid="checkout-error">${escapeHtml(error)}</p>` : ""}
${
  open
    ? `<form method="post" action="/checkout/${checkout.id}/pay">
<label for="email">Email</label><input id="email" name="email" type="email" value="${escapeHtml(textOf(knownEmail))}">
<label for="card">Card number</label><input id="card" name="card" inputmode="numeric" value="${creemTestCards.succeeds}" autocomplete="off">
<p class="note">${creemTestCards.succeeds} succeeds · ${creemTestCards.declined} is declined · ${creemTestCards.disputed} succeeds, then is disputed</p>
<label for="name">Name on card</label><input id="name" name="name" value="">
<label for="line1">Billing address</label><input id="line1" name="line1" value="">
<label for="postal">Postal code</label><input id="postal" name="postal" value="">
<button type="submit" name="method" value="card" data-testid="checkout-pay">Pay ${escapeHtml(price)}</button>
${recurring ? "" : `<button type="submit" name="method" value="late" class="secondary" data-testid="checkout-pay-late">Pay later by bank transfer</button>`}
</form>`
    : checkout.status === "processing"
      ? `<p data-testid="checkout-processing">Your payment is processing. Credits arrive once it clears.</p>`
      : `<p>This checkout is ${escapeHtml(String(checkout.status))}.</p>`
}`,
    );
  }

  /** Where Creem sends the buyer after paying: the success URL with the checkout's ids and a signature. */
  function successRedirect(checkout: CreemObject): string {
    const target =
      typeof checkout.success_url === "string" && checkout.success_url
        ? checkout.success_url
        : `${options.origin()}/checkout/${checkout.id}`;
    const params: Array<[string, string]> = [
      ["checkout_id", checkout.id],
      ["order_id", textOf(checkout.order)],
      ["customer_id", textOf(checkout.customer)],
      ["subscription_id", textOf(checkout.subscription)],
      ["product_id", textOf(checkout.product)],
      ["request_id", textOf(checkout.request_id)],
    ].filter(([, v]) => v !== "") as Array<[string, string]>;
    const signature = createHash("sha256")
      .update([...params.map(([k, v]) => `${k}=${v}`), `salt=${options.apiKey}`].join("|"))
      .digest("hex");
    const url = new URL(target);
    for (const [k, v] of params) url.searchParams.set(k, v);
    url.searchParams.set("signature", signature);
    return url.toString();
  }

  function portalPage(token: string, customer: CreemObject) {
    const subscriptions = byKind("subscription").filter((s) => s.customer === customer.id && s.status !== "canceled");
    const rows = subscriptions
      .map((s) => {
        const product = store.get(s.product as string)!;
        const end = String(s.current_period_end_date).slice(0, 10);
        const scheduled = s.status === "scheduled_cancel";
        return `<section><p>${escapeHtml(String(product.name))}: ${money(product.price as number, product.currency as string)} / month</p>
<p>${scheduled ? `Ends on ${end}` : `Renews on ${end}`}</p>
${scheduled ? "" : `<form method="post" action="/portal/${token}/subscriptions/${s.id}/cancel"><button type="submit" data-testid="portal-cancel">Cancel at period end</button></form>`}</section>`;
      })
      .join("");
    const payments = byKind("transaction")
      .filter((t) => t.customer === customer.id)
      .map(
        (t) =>
          `<li><a href="/receipts/${t.id}">${escapeHtml(t.id)}</a>: ${money(t.amount as number, t.currency as string)} (${escapeHtml(String(t.status))})</li>`,
      )
      .join("");
    return page(
      "Billing",
      `<h1>Billing</h1>${rows || "<p>No active subscription.</p>"}<h2>Payments</h2><ul>${payments}</ul>`,
    );
  }

  function handlePages(req: IncomingMessage, res: ServerResponse, url: URL, body: string): boolean {
    let m: RegExpMatchArray | null;
    if ((m = url.pathname.match(/^\/checkout\/([^/]+)$/)) && req.method === "GET") {
      const checkout = get("checkout", m[1]);
      if (!checkout) return (sendHtml(res, 404, page("Not found", "<p>No such checkout.</p>")), true);
      sendHtml(res, 200, checkoutPage(checkout));
      return true;
    }
    if ((m = url.pathname.match(/^\/checkout\/([^/]+)\/pay$/)) && req.method === "POST") {
      const form = new URLSearchParams(body);
      const checkout = get("checkout", m[1]);
      const result = payCheckout(m[1]!, {
        card: form.get("card") ?? undefined,
        late: form.get("method") === "late",
        email: form.get("email") || undefined,
        name: form.get("name") ?? undefined,
        addressLine1: form.get("line1") ?? undefined,
        postalCode: form.get("postal") ?? undefined,
      });
      if (!result.ok || !checkout)
        return (
          sendHtml(
            res,
            402,
            checkout ? checkoutPage(checkout, result.error) : page("Error", `<p>${escapeHtml(result.error ?? "")}</p>`),
          ),
          true
        );
      redirect(res, successRedirect(checkout));
      return true;
    }
    if ((m = url.pathname.match(/^\/portal\/([^/]+)$/)) && req.method === "GET") {
      const customer = get("customer", portalTokens.get(m[1]!));
      if (!customer) return (sendHtml(res, 404, page("Not found", "<p>This link is not valid.</p>")), true);
      sendHtml(res, 200, portalPage(m[1]!, customer));
      return true;
    }
    if ((m = url.pathname.match(/^\/portal\/([^/]+)\/subscriptions\/([^/]+)\/cancel$/)) && req.method === "POST") {
      const customer = get("customer", portalTokens.get(m[1]!));
      const s = get("subscription", m[2]);
      if (customer && s && s.customer === customer.id) cancelSubscription(s, "scheduled");
      redirect(res, `/portal/${m[1]!}`);
      return true;
    }
    if ((m = url.pathname.match(/^\/receipts\/([^/]+)$/)) && req.method === "GET") {
      const t = get("transaction", m[1]);
      if (!t) return (sendHtml(res, 404, page("Not found", "<p>No such receipt.</p>")), true);
      sendHtml(
        res,
        200,
        page(
          "Receipt",
          `<h1>Receipt</h1><p data-testid="receipt-amount">${money(t.amount as number, t.currency as string)}</p><p>${escapeHtml(t.id)}</p>`,
        ),
      );
      return true;
    }
    return false;
  }

  const control: CreemFakeControl = {
    switches,
    setWebhookUrl: (url) => (webhookUrl = url),
    payCheckout,
    settleLatePayment,
    renewSubscription,
    disputeTransaction,
    resendEvent(eventId) {
      const event = events.find((e) => e.id === eventId);
      if (event) sender.send([{ id: event.id, type: event.type, body: event.body, sign }]);
    },
    objects: (kind) => byKind(kind),
    events: () => events.map((e) => ({ id: e.id, type: e.type })),
    eventBodies: () => events.map((e) => e.body),
    deliveries: () => [...deliveries],
    requests: () => [...requests],
    idle: () => sender.idle(),
  };

  return {
    control,
    async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<boolean> {
      if (url.pathname.startsWith("/v1/")) {
        requests.push({ method: req.method ?? "GET", path: url.pathname + url.search, body });
        if (switches.slowApiMs > 0) await new Promise((r) => setTimeout(r, switches.slowApiMs));
        handleApi(req, res, url, body);
        return true;
      }
      return handlePages(req, res, url, body);
    },
    stop() {
      for (const timer of lateTimers.values()) clearTimeout(timer);
      for (const timer of disputeTimers) clearTimeout(timer);
    },
  };
}
