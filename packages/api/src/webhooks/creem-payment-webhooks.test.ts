// Payments through Creem end to end, as payment-webhooks.test.ts does for Stripe: the real
// Postgres, the real Temporal dev server and the local Creem fake, reached through the official
// `creem` SDK (only its serverURL differs): checkout → signed webhook → stored once →
// payment-event workflow → ledger. The ledger audit runs after every test.
import { createHmac } from "node:crypto";
import { Creem } from "creem";
import { parseWebhookEventEntity } from "creem/webhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "@animateimg/db";
import { getCreditStanding, listLedger, reserveCredits } from "@animateimg/billing";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import { creemTestCards, type CreemPayment } from "@animateimg/payment-fakes";
import {
  cancelSubscriptionsForUser,
  getBillingSummary,
  receiptUrlForLedgerEntry,
  startCheckout,
} from "@animateimg/payments";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";
import { startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
import { createTestBlobStore } from "@animateimg/workflows/testing";
import {
  createPayingUser,
  startPaymentHarness,
  testOffers,
  waitForApplied as waitForAppliedAt,
  waitForEvent,
  type PaymentHarness,
} from "../testing/payment-harness";
import { paymentEventWorkflowId } from "@animateimg/workflows/workflow-ids";

let database: TestDatabase;
let worker: TestWorker;
let harness: PaymentHarness;
let creem: Creem;
const appUrl = "http://app.test";

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await startPaymentHarness({
    provider: "creem",
    db: () => database.db,
    orchestrator: () => createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }),
  });
  worker = await startTestWorker({
    db: database.db,
    deps: { payments: { processor: harness.processor, offers: testOffers } },
  });
  // The tests' own view of "Creem": the official SDK, pointed at the fake.
  creem = new Creem({ apiKey: harness.fakes.credentials.creem.apiKey, serverURL: harness.fakes.creemOrigin });
});
afterEach(async () => {
  await harness.fakes.creem.idle();
  Object.assign(harness.fakes.creem.switches, { duplicates: false, outOfOrder: false, delayMs: 0, slowApiMs: 0 });
  expect(await ledgerViolations(database.db)).toEqual([]);
});
afterAll(async () => {
  await worker?.shutdown();
  await harness?.stop();
  await database?.drop();
});

const fake = () => harness.fakes.creem;
const deps = () => ({ processor: harness.processor, offers: testOffers, appUrl });
const waitForApplied = (eventId: string) => waitForAppliedAt(database.db, eventId, 60_000, "creem");
const checkoutIdOf = (url: string) => url.split("/").pop()!;

async function buy(user: { id: string; email: string }, offerId: string, how: CreemPayment = {}) {
  const { url } = await startCheckout(database.db, deps(), { userId: user.id, email: user.email, offerId });
  const checkoutId = checkoutIdOf(url);
  const before = fake().events().length;
  expect(fake().payCheckout(checkoutId, how)).toEqual({ ok: true });
  return { checkoutId, before };
}

describe("credit packs", () => {
  it("grants a pack exactly once under duplicate deliveries and a processor retry", async () => {
    const user = await createPayingUser(database.db);
    fake().switches.duplicates = true;
    const { checkoutId, before } = await buy(user, "pack_100");
    const eventId = await waitForEvent(fake(), "checkout.completed", before);
    expect(await waitForApplied(eventId)).toBe("granted");
    await fake().idle();
    fake().switches.duplicates = false;
    fake().resendEvent(eventId);
    await fake().idle();

    const deliveries = fake()
      .deliveries()
      .filter((d) => d.eventId === eventId);
    expect(deliveries.length).toBe(3);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 120, owed: 0 });
    const ledger = await database.db
      .selectFrom("credit_ledger")
      .selectAll()
      .where("user_id", "=", user.id)
      .where("kind", "=", "purchase")
      .execute();
    expect(ledger).toHaveLength(1);
    const [purchase] = ledger;
    // The Creem order id is the reference; the ledger row looks like a Stripe one otherwise.
    const checkout = await creem.checkouts.retrieve(checkoutId);
    expect(purchase).toMatchObject({
      amount: 100,
      payment_processor: "creem",
      payment_reference: checkout.order!.id,
      payment_amount: 500,
      payment_currency: "usd",
      payment_plan: "pack_100",
    });
    expect(purchase!.payment_reference).toMatch(/^ord_/);
    // The checkout was tied to the user by request_id and metadata.
    expect(checkout.requestId).toBe(user.id);
    expect(checkout.metadata).toMatchObject({ user_id: user.id, offer_id: "pack_100" });
    const customers = await database.db
      .selectFrom("payment_customers")
      .selectAll()
      .where("user_id", "=", user.id)
      .execute();
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({ processor: "creem" });
    expect(customers[0]!.customer_id).toMatch(/^cust_/);
    // Receipts live in Creem's customer portal.
    const receipt = await receiptUrlForLedgerEntry(database.db, deps(), { userId: user.id, ledgerId: purchase!.id });
    expect(receipt).toContain(`${harness.fakes.creemOrigin}/portal/`);
    const page = await (await fetch(receipt)).text();
    expect(page).toContain(checkout.order!.transaction!);
  });

  it("a payment made later grants nothing until it clears, then once", async () => {
    const user = await createPayingUser(database.db);
    fake().switches.outOfOrder = true;
    const { checkoutId, before } = await buy(user, "pack_500", { late: true });
    expect((await creem.checkouts.retrieve(checkoutId)).status).toBe("processing");
    expect(fake().events().length).toBe(before);
    expect((await getCreditStanding(database.db, user.id)).available).toBe(20);

    fake().settleLatePayment(checkoutId, true);
    const completed = await waitForEvent(fake(), "checkout.completed", before);
    expect(await waitForApplied(completed)).toBe("granted");
    expect((await getCreditStanding(database.db, user.id)).available).toBe(520);
  });

  it("a declined card grants nothing and sends no event", async () => {
    const user = await createPayingUser(database.db);
    const { url } = await startCheckout(database.db, deps(), {
      userId: user.id,
      email: user.email,
      offerId: "pack_100",
    });
    const before = fake().events().length;
    expect(fake().payCheckout(checkoutIdOf(url), { card: creemTestCards.declined })).toEqual({
      ok: false,
      error: "Your card was declined.",
    });
    expect(fake().events().length).toBe(before);
    expect((await getCreditStanding(database.db, user.id)).available).toBe(20);
  });

  it("the hosted checkout page takes a card and sends the buyer back with Creem's redirect parameters", async () => {
    const user = await createPayingUser(database.db);
    const { url } = await startCheckout(database.db, deps(), {
      userId: user.id,
      email: user.email,
      offerId: "pack_100",
    });
    const form = await (await fetch(url)).text();
    expect(form).toContain("5.00 USD");
    const before = fake().events().length;
    const paid = await fetch(`${url}/pay`, {
      method: "POST",
      body: new URLSearchParams({ card: creemTestCards.succeeds, method: "card", email: user.email }),
      redirect: "manual",
    });
    expect(paid.status).toBe(303);
    const back = new URL(paid.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(`${appUrl}/settings`);
    expect(back.searchParams.get("checkout_id")).toBe(checkoutIdOf(url));
    expect(back.searchParams.get("request_id")).toBe(user.id);
    expect(back.searchParams.get("signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(await waitForApplied(await waitForEvent(fake(), "checkout.completed", before))).toBe("granted");
  });
});

describe("webhook signatures", () => {
  const sign = (body: string, secret: string) => createHmac("sha256", secret).update(body).digest("hex");
  const eventBody = (createdAt: number) =>
    JSON.stringify({
      id: "evt_forged_creem",
      eventType: "checkout.completed",
      created_at: createdAt,
      object: { id: "ch_forged", object: "checkout" },
    });

  it("refuses forged and stale signatures with 400 and stores nothing", async () => {
    const secret = harness.fakes.credentials.creem.webhookSecret;
    const fresh = eventBody(Date.now());
    const stale = eventBody(Date.now() - 3 * 60 * 60 * 1000);
    const post = (body: string, headers: Record<string, string>) =>
      fetch(harness.webhookUrl, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    expect((await post(fresh, { "creem-signature": sign(fresh, "whsec_not_ours") })).status).toBe(400);
    // Signed with our secret, but replayed long after Creem's last retry.
    expect((await post(stale, { "creem-signature": sign(stale, secret) })).status).toBe(400);
    expect((await post(fresh, {})).status).toBe(400);
    expect((await post(fresh, { "creem-signature": "not-hex" })).status).toBe(400);
    // A valid signature over a different body is a forgery too.
    expect(
      (await post(fresh.replace("ch_forged", "ch_other"), { "creem-signature": sign(fresh, secret) })).status,
    ).toBe(400);
    // Stripe's header is no Creem signature.
    expect(
      (await post(fresh, { "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${sign(fresh, secret)}` }))
        .status,
    ).toBe(400);
    const stored = await database.db
      .selectFrom("payment_events")
      .select("event_id")
      .where("event_id", "=", "evt_forged_creem")
      .execute();
    expect(stored).toEqual([]);
    // A correctly signed event is accepted (so the refusals above were about the signature); this
    // type is one we do not act on, so it is acknowledged and not stored.
    const ignored = JSON.stringify({
      id: "evt_ignored_creem",
      eventType: "credits.granted",
      created_at: Date.now(),
      object: { id: "cred_1", object: "credit_grant" },
    });
    const accepted = await post(ignored, { "creem-signature": sign(ignored, secret) });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ ok: true, ignored: true });
  });
});

describe("subscriptions", () => {
  it("grants once per paid period, in any delivery order, and stops after cancellation at period end", async () => {
    const user = await createPayingUser(database.db);
    // Events arrive newest first: the period's payment before the checkout and the activation.
    fake().switches.outOfOrder = true;
    const { checkoutId, before } = await buy(user, "starter");
    const firstPeriod = await waitForEvent(fake(), "subscription.paid", before);
    expect(await waitForApplied(firstPeriod)).toBe("granted");
    for (const type of ["subscription.active", "checkout.completed"])
      await waitForApplied(await waitForEvent(fake(), type, before));
    fake().switches.outOfOrder = false;
    expect((await getCreditStanding(database.db, user.id)).available).toBe(320);
    const subscriptionId = (await creem.checkouts.retrieve(checkoutId)).subscription as { id: string };
    const summary = await getBillingSummary(database.db, { userId: user.id, processor: harness.processor });
    expect(summary.subscription).toMatchObject({ planId: "starter", status: "active", cancelAtPeriodEnd: false });
    expect(summary.subscription!.currentPeriodEnd!.getTime()).toBeGreaterThan(Date.now());

    // Next month: a second paid period, a second grant; its duplicate grants nothing.
    fake().switches.duplicates = true;
    let mark = fake().events().length;
    const renewal = fake().renewSubscription(subscriptionId.id);
    expect(await waitForApplied(await waitForEvent(fake(), "subscription.paid", mark))).toBe("granted");
    await fake().idle();
    fake().switches.duplicates = false;
    expect((await getCreditStanding(database.db, user.id)).available).toBe(620);
    const purchases = await database.db
      .selectFrom("credit_ledger")
      .select(["payment_reference", "payment_plan"])
      .where("user_id", "=", user.id)
      .where("kind", "=", "purchase")
      .execute();
    expect(purchases).toHaveLength(2);
    expect(purchases.map((p) => p.payment_reference)).toContain(renewal.transactionId);
    expect(purchases.every((p) => p.payment_plan === "starter" && p.payment_reference!.startsWith("tran_"))).toBe(true);
    expect(new Set(purchases.map((p) => p.payment_reference)).size).toBe(2);

    // The user cancels at period end (as the customer portal does); the period ends: no more grants.
    mark = fake().events().length;
    await creem.subscriptions.cancel(subscriptionId.id, { mode: "scheduled" });
    await waitForApplied(await waitForEvent(fake(), "subscription.scheduled_cancel", mark));
    await waitForApplied(await waitForEvent(fake(), "subscription.update", mark));
    expect(
      (await getBillingSummary(database.db, { userId: user.id, processor: harness.processor })).subscription,
    ).toMatchObject({ status: "active", cancelAtPeriodEnd: true });
    mark = fake().events().length;
    expect(fake().renewSubscription(subscriptionId.id)).toEqual({ canceled: true });
    await waitForApplied(await waitForEvent(fake(), "subscription.canceled", mark));
    expect(fake().renewSubscription(subscriptionId.id)).toEqual({ canceled: true });
    await fake().idle();
    expect(
      fake()
        .events()
        .slice(mark)
        .filter((e) => e.type === "subscription.paid"),
    ).toEqual([]);
    expect((await getCreditStanding(database.db, user.id)).available).toBe(620);
    expect(
      (await getBillingSummary(database.db, { userId: user.id, processor: harness.processor })).subscription,
    ).toBeNull();
  });

  it("a period that ends unpaid grants nothing; the portal link opens Creem's customer portal", async () => {
    const user = await createPayingUser(database.db);
    const { checkoutId, before } = await buy(user, "pro");
    await waitForApplied(await waitForEvent(fake(), "subscription.paid", before));
    const subscriptionId = ((await creem.checkouts.retrieve(checkoutId)).subscription as { id: string }).id;
    const mark = fake().events().length;
    fake().renewSubscription(subscriptionId, { fail: true });
    expect(await waitForApplied(await waitForEvent(fake(), "subscription.expired", mark))).toBe("subscription_updated");
    expect((await getCreditStanding(database.db, user.id)).available).toBe(1220);
    expect(
      (await getBillingSummary(database.db, { userId: user.id, processor: harness.processor })).subscription,
    ).toMatchObject({ planId: "pro", status: "unpaid" });
    const customerId = (
      await database.db
        .selectFrom("payment_customers")
        .select("customer_id")
        .where("user_id", "=", user.id)
        .executeTakeFirstOrThrow()
    ).customer_id;
    const portal = await harness.processor.billingPortalUrl({ customerId, returnUrl: `${appUrl}/settings` });
    expect(await (await fetch(portal)).text()).toContain("Pro");
  });

  it("account deletion's hook cancels live subscriptions at the processor", async () => {
    const user = await createPayingUser(database.db);
    const { checkoutId, before } = await buy(user, "pro");
    await waitForApplied(await waitForEvent(fake(), "subscription.active", before));
    expect(
      await cancelSubscriptionsForUser(database.db, { processor: harness.processor }, { userId: user.id }),
    ).toEqual({ canceled: 1 });
    const subscriptionId = ((await creem.checkouts.retrieve(checkoutId)).subscription as { id: string }).id;
    expect((await creem.subscriptions.get(subscriptionId)).status).toBe("canceled");
    expect(
      await cancelSubscriptionsForUser(database.db, { processor: harness.processor }, { userId: user.id }),
    ).toEqual({ canceled: 0 });
  });
});

describe("refunds and disputes", () => {
  it("a refund after the credits were spent leaves the account owing, never negative, and paid work refused until settled", async () => {
    const user = await createPayingUser(database.db);
    const { checkoutId, before } = await buy(user, "pack_100");
    await waitForApplied(await waitForEvent(fake(), "checkout.completed", before));
    await reserveCredits(database.db, { userId: user.id, generationId: await generationRow(user.id, 90), amount: 90 });
    expect((await getCreditStanding(database.db, user.id)).available).toBe(30);

    // A full refund through the official SDK: 100 purchased, 30 still there, 70 spent.
    const mark = fake().events().length;
    const transactionId = (await creem.checkouts.retrieve(checkoutId)).order!.transaction!;
    expect(await creem.transactions.refund({ transactionId })).toEqual({ status: "succeeded" });
    expect(await waitForApplied(await waitForEvent(fake(), "refund.created", mark))).toBe("taken_back");
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 0, owed: 70 });
    await expect(
      reserveCredits(database.db, { userId: user.id, generationId: await generationRow(user.id, 5), amount: 5 }),
    ).rejects.toMatchObject({
      code: "PAYMENT_REQUIRED",
      reason: "credits_owed",
    });

    // The next purchase settles what is owed first.
    const again = await buy(user, "pack_100");
    await waitForApplied(await waitForEvent(fake(), "checkout.completed", again.before));
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 30, owed: 0 });
    const kinds = (await listLedger(database.db, { userId: user.id })).map((e) => [e.kind, e.amount, e.reason]);
    expect(kinds).toEqual([
      ["reversal", -70, "settles_owed"],
      ["purchase", 100, null],
      ["reversal", -30, "refund"],
      ["reserve", -90, null],
      ["purchase", 100, null],
      ["grant", 20, "Welcome credits"],
    ]);
  });

  it("a dispute takes back the unspent credits of the disputed payment, once", async () => {
    const user = await createPayingUser(database.db);
    fake().switches.duplicates = true;
    const { before } = await buy(user, "pack_500", { card: creemTestCards.disputed });
    expect(await waitForApplied(await waitForEvent(fake(), "dispute.created", before))).toBe("taken_back");
    await fake().idle();
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 20, owed: 0 });
    const reversals = await database.db
      .selectFrom("credit_ledger")
      .select(["amount", "reason"])
      .where("user_id", "=", user.id)
      .where("kind", "=", "reversal")
      .execute();
    expect(reversals).toEqual([{ amount: -500, reason: "dispute" }]);
  });
});

describe("events we cannot place", () => {
  it("an event for an unknown customer is recorded and reported, never a crash", async () => {
    // A customer and a checkout made outside the app (e.g. a payment link from Creem's dashboard).
    const customer = await creem.customers.create({ email: "stranger@example.test", name: "Stranger" });
    const checkout = await creem.checkouts.create({ productId: "pack_100", customer: { id: customer.id } });
    const before = fake().events().length;
    expect(fake().payCheckout(checkout.id, {})).toEqual({ ok: true });
    const eventId = await waitForEvent(fake(), "checkout.completed", before);
    expect(await waitForApplied(eventId)).toBe("unknown_customer");
    const row = await database.db
      .selectFrom("payment_events")
      .selectAll()
      .where("processor", "=", "creem")
      .where("event_id", "=", eventId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ outcome: "unknown_customer", user_id: null, object_id: checkout.id });
    const orderId = (await creem.checkouts.retrieve(checkout.id)).order!.id;
    expect(
      await database.db.selectFrom("credit_ledger").select("id").where("payment_reference", "=", orderId).execute(),
    ).toEqual([]);
    await waitFor("the workflow to complete", async () => {
      const description = await worker.client.workflow.getHandle(paymentEventWorkflowId("creem", eventId)).describe();
      return description.status.name === "COMPLETED" ? true : undefined;
    });
  });
});

describe("privacy", () => {
  it("no card or billing-address field ever reaches our database or logs", async () => {
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
    );
    try {
      const user = await createPayingUser(database.db);
      const sentinels = { name: "Yorick Q. Cardholder", addressLine1: "31 Spooner Street", postalCode: "02910-4242" };
      const { before } = await buy(user, "pack_100", { card: creemTestCards.succeeds, ...sentinels });
      await waitForApplied(await waitForEvent(fake(), "checkout.completed", before));
      await fake().idle();
      const tables = await sql<{
        table_name: string;
      }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
        database.db,
      );
      let dump = "";
      for (const { table_name } of tables.rows) {
        const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(
          database.db,
        );
        dump += rows.rows.map((r) => r.row).join("\n");
      }
      for (const value of [
        sentinels.name,
        sentinels.addressLine1,
        sentinels.postalCode,
        creemTestCards.succeeds,
        "Spooner",
      ]) {
        expect(dump, `database contains ${value}`).not.toContain(value);
        expect(logged.join("\n"), `logs contain ${value}`).not.toContain(value);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe("the fake's fidelity", () => {
  it("every webhook it sent parses with the SDK's own webhook schemas", () => {
    const bodies = fake().eventBodies();
    expect(bodies.length).toBeGreaterThan(10);
    const types = new Set<string>();
    for (const body of bodies) types.add(parseWebhookEventEntity(body).eventType);
    for (const type of [
      "checkout.completed",
      "subscription.active",
      "subscription.paid",
      "subscription.update",
      "subscription.canceled",
      "subscription.expired",
      "refund.created",
      "dispute.created",
    ]) {
      expect(types, type).toContain(type);
    }
  });
});

/** A generation row to hang a reservation on (the reservation is what spends credits). */
async function generationRow(userId: string, price: number): Promise<string> {
  const asset = await createPhotoAsset(database.db, createTestBlobStore(), userId);
  const row = await database.db
    .insertInto("generations")
    .values({
      user_id: userId,
      model_id: "animate",
      prompt: "",
      params: JSON.stringify({}),
      image_asset_id: asset,
      price_credits: price,
      idempotency_key: crypto.randomUUID(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
