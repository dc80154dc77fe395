// Payments end to end on the real Postgres, the real Temporal dev server and the local Stripe
// fake, reached through the official `stripe` SDK: checkout → signed webhook → stored once →
// payment-event workflow → ledger. The ledger audit runs after every test.
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "@animateimg/db";
import { getCreditStanding, listLedger, reserveCredits } from "@animateimg/billing";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createDbAssetLookup, createGeneration } from "@animateimg/generations";
import { waitFor } from "@animateimg/local-services";
import { stripeTestCards } from "@animateimg/payment-fakes";
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
  waitForApplied,
  waitForEvent,
  type PaymentHarness,
} from "../testing/payment-harness";
import { paymentEventWorkflowId } from "@animateimg/workflows/workflow-ids";

let database: TestDatabase;
let worker: TestWorker;
let harness: PaymentHarness;
let stripe: Stripe;
const appUrl = "http://app.test";

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await startPaymentHarness({
    db: () => database.db,
    orchestrator: () => createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }),
  });
  worker = await startTestWorker({
    db: database.db,
    deps: { payments: { processor: harness.processor, offers: testOffers } },
  });
  // The tests' own view of "Stripe": the official SDK, pointed at the fake.
  stripe = new Stripe(harness.fakes.credentials.stripe.secretKey, harness.fakes.stripeEndpoint);
});
afterEach(async () => {
  await harness.fakes.stripe.idle();
  Object.assign(harness.fakes.stripe.switches, { duplicates: false, outOfOrder: false, delayMs: 0, slowApiMs: 0 });
  expect(await ledgerViolations(database.db)).toEqual([]);
});
afterAll(async () => {
  await worker?.shutdown();
  await harness?.stop();
  await database?.drop();
});

const deps = () => ({ processor: harness.processor, offers: testOffers, appUrl });
const sessionIdOf = (url: string) => url.split("/").pop()!;

async function buy(
  user: { id: string; email: string },
  offerId: string,
  how: Parameters<PaymentHarness["fakes"]["stripe"]["payCheckout"]>[1] = {},
) {
  const { url } = await startCheckout(database.db, deps(), { userId: user.id, email: user.email, offerId });
  const sessionId = sessionIdOf(url);
  const before = harness.fakes.stripe.events().length;
  const paid = harness.fakes.stripe.payCheckout(sessionId, how);
  expect(paid).toEqual({ ok: true });
  return { sessionId, before };
}

describe("credit packs", () => {
  it("grants a pack exactly once under duplicate deliveries and a processor retry", async () => {
    const user = await createPayingUser(database.db);
    harness.fakes.stripe.switches.duplicates = true;
    const { before } = await buy(user, "pack_100");
    const eventId = await waitForEvent(harness.fakes, "checkout.session.completed", before);
    expect(await waitForApplied(database.db, eventId)).toBe("granted");
    await harness.fakes.stripe.idle();
    harness.fakes.stripe.switches.duplicates = false;
    harness.fakes.stripe.resendEvent(eventId);
    await harness.fakes.stripe.idle();

    const deliveries = harness.fakes.stripe.deliveries().filter((d) => d.eventId === eventId);
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
    expect(purchase).toMatchObject({
      amount: 100,
      payment_processor: "stripe",
      payment_amount: 500,
      payment_currency: "usd",
      payment_plan: "pack_100",
    });
    expect(purchase!.payment_reference).toMatch(/^pi_/);
    // Exactly one customer per user, and only its id is kept.
    const customers = await database.db
      .selectFrom("payment_customers")
      .selectAll()
      .where("user_id", "=", user.id)
      .execute();
    expect(customers).toHaveLength(1);
    expect(customers[0]!.customer_id).toMatch(/^cus_/);
    // The receipt link comes from the processor, by the stored reference.
    expect(await receiptUrlForLedgerEntry(database.db, deps(), { userId: user.id, ledgerId: purchase!.id })).toContain(
      "/receipts/ch_",
    );
  });

  it("a late payment arriving out of order is granted once, when it is paid", async () => {
    const user = await createPayingUser(database.db);
    harness.fakes.stripe.switches.outOfOrder = true;
    const { sessionId, before } = await buy(user, "pack_500", { late: true });
    const completed = await waitForEvent(harness.fakes, "checkout.session.completed", before);
    expect(await waitForApplied(database.db, completed)).toBe("not_paid");
    expect((await getCreditStanding(database.db, user.id)).available).toBe(20);

    const mark = harness.fakes.stripe.events().length;
    harness.fakes.stripe.settleLatePayment(sessionId, true);
    const succeeded = await waitForEvent(harness.fakes, "checkout.session.async_payment_succeeded", mark);
    expect(await waitForApplied(database.db, succeeded)).toBe("granted");
    expect((await getCreditStanding(database.db, user.id)).available).toBe(520);
  });

  it("a declined card grants nothing and sends no event", async () => {
    const user = await createPayingUser(database.db);
    const { url } = await startCheckout(database.db, deps(), {
      userId: user.id,
      email: user.email,
      offerId: "pack_100",
    });
    const before = harness.fakes.stripe.events().length;
    expect(harness.fakes.stripe.payCheckout(sessionIdOf(url), { card: stripeTestCards.declined })).toEqual({
      ok: false,
      error: "Your card was declined.",
    });
    expect(harness.fakes.stripe.events().length).toBe(before);
    expect((await getCreditStanding(database.db, user.id)).available).toBe(20);
  });
});

describe("webhook signatures", () => {
  it("refuses forged and stale signatures with 400 and stores nothing", async () => {
    const payload = JSON.stringify({
      id: "evt_forged",
      object: "event",
      type: "checkout.session.completed",
      data: { object: { id: "cs_test_forged", object: "checkout.session" } },
    });
    const forged = stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_ours" });
    const stale = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: harness.fakes.credentials.stripe.webhookSecret,
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    const fresh = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: harness.fakes.credentials.stripe.webhookSecret,
    });
    const post = (headers: Record<string, string>, body = payload) =>
      fetch(harness.webhookUrl, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    expect((await post({ "stripe-signature": forged })).status).toBe(400);
    expect((await post({ "stripe-signature": stale })).status).toBe(400);
    expect((await post({})).status).toBe(400);
    // A valid signature over a different body is a forgery too.
    expect((await post({ "stripe-signature": fresh }, payload.replace("cs_test_forged", "cs_test_other"))).status).toBe(
      400,
    );
    const stored = await database.db
      .selectFrom("payment_events")
      .select("event_id")
      .where("event_id", "=", "evt_forged")
      .execute();
    expect(stored).toEqual([]);
  });
});

describe("subscriptions", () => {
  it("grants once per paid invoice and stops after cancellation at period end", async () => {
    const user = await createPayingUser(database.db);
    const { sessionId, before } = await buy(user, "starter");
    const firstInvoice = await waitForEvent(harness.fakes, "invoice.paid", before);
    expect(await waitForApplied(database.db, firstInvoice)).toBe("granted");
    for (const type of ["customer.subscription.created", "checkout.session.completed"]) {
      await waitForApplied(database.db, await waitForEvent(harness.fakes, type, before));
    }
    expect((await getCreditStanding(database.db, user.id)).available).toBe(320);
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    const subscriptionId = session.subscription as string;
    const summary = await getBillingSummary(database.db, { userId: user.id, processor: harness.processor });
    expect(summary.subscription).toMatchObject({ planId: "starter", status: "active", cancelAtPeriodEnd: false });
    expect(summary.subscription!.currentPeriodEnd!.getTime()).toBeGreaterThan(Date.now());

    // Next month: a second invoice, a second grant; its duplicate grants nothing.
    harness.fakes.stripe.switches.duplicates = true;
    let mark = harness.fakes.stripe.events().length;
    const renewal = harness.fakes.stripe.renewSubscription(subscriptionId);
    const secondInvoice = await waitForEvent(harness.fakes, "invoice.paid", mark);
    expect(await waitForApplied(database.db, secondInvoice)).toBe("granted");
    await harness.fakes.stripe.idle();
    expect((await getCreditStanding(database.db, user.id)).available).toBe(620);
    const purchases = await database.db
      .selectFrom("credit_ledger")
      .select(["payment_reference", "payment_plan"])
      .where("user_id", "=", user.id)
      .where("kind", "=", "purchase")
      .execute();
    expect(purchases).toHaveLength(2);
    expect(purchases.map((p) => p.payment_reference)).toContain(renewal.invoiceId);
    expect(purchases.every((p) => p.payment_plan === "starter")).toBe(true);
    expect(new Set(purchases.map((p) => p.payment_reference)).size).toBe(2);
    harness.fakes.stripe.switches.duplicates = false;

    // The user cancels at period end (as the billing portal does); the period ends: no more grants.
    mark = harness.fakes.stripe.events().length;
    await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await waitForApplied(database.db, await waitForEvent(harness.fakes, "customer.subscription.updated", mark));
    expect(
      (await getBillingSummary(database.db, { userId: user.id, processor: harness.processor })).subscription,
    ).toMatchObject({ cancelAtPeriodEnd: true });
    mark = harness.fakes.stripe.events().length;
    expect(harness.fakes.stripe.renewSubscription(subscriptionId)).toEqual({ canceled: true });
    await waitForApplied(database.db, await waitForEvent(harness.fakes, "customer.subscription.deleted", mark));
    expect(harness.fakes.stripe.renewSubscription(subscriptionId)).toEqual({ canceled: true });
    await harness.fakes.stripe.idle();
    expect(
      harness.fakes.stripe
        .events()
        .slice(mark)
        .filter((e) => e.type === "invoice.paid"),
    ).toEqual([]);
    expect((await getCreditStanding(database.db, user.id)).available).toBe(620);
    expect(
      (await getBillingSummary(database.db, { userId: user.id, processor: harness.processor })).subscription,
    ).toBeNull();
  });

  it("account deletion's hook cancels live subscriptions at the processor", async () => {
    const user = await createPayingUser(database.db);
    const { sessionId, before } = await buy(user, "pro");
    await waitForApplied(database.db, await waitForEvent(harness.fakes, "customer.subscription.created", before));
    expect(
      await cancelSubscriptionsForUser(database.db, { processor: harness.processor }, { userId: user.id }),
    ).toEqual({ canceled: 1 });
    const subscription = await stripe.subscriptions.retrieve(
      (await stripe.checkout.sessions.retrieve(sessionId)).subscription as string,
    );
    expect(subscription.status).toBe("canceled");
    expect(
      await cancelSubscriptionsForUser(database.db, { processor: harness.processor }, { userId: user.id }),
    ).toEqual({ canceled: 0 });
  });
});

describe("refunds and disputes", () => {
  it("a refund after the credits were spent leaves the account owing, never negative, and paid work refused until settled", async () => {
    const user = await createPayingUser(database.db);
    const { sessionId, before } = await buy(user, "pack_100");
    await waitForApplied(database.db, await waitForEvent(harness.fakes, "checkout.session.completed", before));
    expect((await getCreditStanding(database.db, user.id)).available).toBe(120);
    // Spend 90 of the 120.
    await reserveCredits(database.db, { userId: user.id, generationId: await generationRow(user.id, 90), amount: 90 });
    expect((await getCreditStanding(database.db, user.id)).available).toBe(30);

    // Full refund through the official SDK: 100 purchased, 30 still there, 70 spent.
    const mark = harness.fakes.stripe.events().length;
    const paymentIntent = (await stripe.checkout.sessions.retrieve(sessionId)).payment_intent as string;
    await stripe.refunds.create({ payment_intent: paymentIntent });
    const refunded = await waitForEvent(harness.fakes, "charge.refunded", mark);
    expect(await waitForApplied(database.db, refunded)).toBe("taken_back");
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 0, owed: 70 });
    const balance = await database.db
      .selectFrom("credit_balances")
      .select("available")
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(balance.available).toBe(0);

    // Paid work is refused with a typed reason, at create and at reservation.
    await expect(
      reserveCredits(database.db, { userId: user.id, generationId: await generationRow(user.id, 5), amount: 5 }),
    ).rejects.toMatchObject({
      code: "PAYMENT_REQUIRED",
      reason: "credits_owed",
    });
    const blobStore = createTestBlobStore();
    const imageAssetId = await createPhotoAsset(database.db, blobStore, user.id);
    await expect(
      createGeneration(
        database.db,
        {
          userId: user.id,
          modelId: "animate",
          prompt: "",
          params: { durationSeconds: 2, resolution: "480p" },
          imageAssetId,
          private: true,
          idempotencyKey: "owed-1",
        },
        {
          orchestrator: createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }).generations,
          findOwnedAssets: createDbAssetLookup(database.db),
        },
      ),
    ).rejects.toMatchObject({ code: "PAYMENT_REQUIRED", reason: "credits_owed" });

    // The next purchase settles what is owed first: 100 bought, 70 owed → 30 left, nothing owed.
    const again = await buy(user, "pack_100");
    await waitForApplied(database.db, await waitForEvent(harness.fakes, "checkout.session.completed", again.before));
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
    harness.fakes.stripe.switches.duplicates = true;
    const { before } = await buy(user, "pack_500", { card: stripeTestCards.disputed });
    const dispute = await waitForEvent(harness.fakes, "charge.dispute.created", before);
    expect(await waitForApplied(database.db, dispute)).toBe("taken_back");
    await harness.fakes.stripe.idle();
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 20, owed: 0 });
    const reversals = await database.db
      .selectFrom("credit_ledger")
      .select(["amount", "reason"])
      .where("user_id", "=", user.id)
      .where("kind", "=", "reversal")
      .execute();
    expect(reversals).toEqual([{ amount: -500, reason: "dispute" }]);
  });

  it("a won dispute gives back what the dispute took, once; a lost one takes nothing more", async () => {
    const user = await createPayingUser(database.db);
    const { before } = await buy(user, "pack_500", { card: stripeTestCards.disputed });
    const created = await waitForEvent(harness.fakes, "charge.dispute.created", before);
    expect(await waitForApplied(database.db, created)).toBe("taken_back");
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 20, owed: 0 });
    const disputeId = lastDisputeId();

    // Won: the bank sides with us, the money comes back, and so do the 500 credits. A duplicate
    // and a processor retry of the closing event give nothing more.
    harness.fakes.stripe.switches.duplicates = true;
    const mark = harness.fakes.stripe.events().length;
    harness.fakes.stripe.closeDispute(disputeId, "won");
    const closed = await waitForEvent(harness.fakes, "charge.dispute.closed", mark);
    expect(await waitForApplied(database.db, closed)).toBe("dispute_won");
    await harness.fakes.stripe.idle();
    harness.fakes.stripe.resendEvent(closed);
    await harness.fakes.stripe.idle();
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 520, owed: 0 });
    const rows = await database.db
      .selectFrom("credit_ledger")
      .select(["kind", "amount", "reason", "payment_processor"])
      .where("user_id", "=", user.id)
      .where("kind", "in", ["reversal", "adjust"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { kind: "reversal", amount: -500, reason: "dispute", payment_processor: "stripe" },
      { kind: "adjust", amount: 500, reason: "dispute_won", payment_processor: "stripe" },
    ]);
    // The dispute's first event applied again (a late redelivery of a new event id about the same
    // dispute) reads the dispute's current state: won, so nothing is taken again.
    const late = harness.fakes.stripe.sendEvent(
      "charge.dispute.created",
      harness.fakes.stripe.objects("dispute").find((d) => d.id === disputeId)!,
    );
    expect(await waitForApplied(database.db, late)).toBe("dispute_won");
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 520, owed: 0 });

    // Lost, on another payment: the dispute keeps what it took and takes nothing more.
    const other = await createPayingUser(database.db);
    const lost = await buy(other, "pack_100", { card: stripeTestCards.disputed });
    expect(
      await waitForApplied(database.db, await waitForEvent(harness.fakes, "charge.dispute.created", lost.before)),
    ).toBe("taken_back");
    const mark2 = harness.fakes.stripe.events().length;
    harness.fakes.stripe.closeDispute(lastDisputeId(), "lost");
    expect(await waitForApplied(database.db, await waitForEvent(harness.fakes, "charge.dispute.closed", mark2))).toBe(
      "taken_back",
    );
    expect(await getCreditStanding(database.db, other.id)).toEqual({ available: 20, owed: 0 });
  });

  it("a won dispute cancels the debt it raised, or gives the credits back once a later purchase has paid it", async () => {
    const user = await createPayingUser(database.db);
    const first = await buy(user, "pack_100");
    await waitForApplied(database.db, await waitForEvent(harness.fakes, "checkout.session.completed", first.before));
    // 90 of the 120 spent, then the payment is disputed: 30 taken back, 70 owed.
    await reserveCredits(database.db, { userId: user.id, generationId: await generationRow(user.id, 90), amount: 90 });
    const paymentIntent = (await stripe.checkout.sessions.retrieve(first.sessionId)).payment_intent as string;
    const charge = harness.fakes.stripe.objects("charge").find((c) => c.payment_intent === paymentIntent)!;
    let mark = harness.fakes.stripe.events().length;
    const disputeId = harness.fakes.stripe.disputeCharge(String(charge.id));
    expect(await waitForApplied(database.db, await waitForEvent(harness.fakes, "charge.dispute.created", mark))).toBe(
      "taken_back",
    );
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 0, owed: 70 });

    // Won while still owed: the 70 owed are cancelled and the 30 taken come back.
    mark = harness.fakes.stripe.events().length;
    harness.fakes.stripe.closeDispute(disputeId, "won");
    expect(await waitForApplied(database.db, await waitForEvent(harness.fakes, "charge.dispute.closed", mark))).toBe(
      "dispute_won",
    );
    expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 30, owed: 0 });
    const debts = await database.db
      .selectFrom("credit_debts")
      .select(["amount", "reason"])
      .where("user_id", "=", user.id)
      .orderBy("id")
      .execute();
    expect(debts).toEqual([
      { amount: 70, reason: "dispute" },
      { amount: -70, reason: "dispute_won" },
    ]);

    // Another person: the debt is paid by a later purchase before the dispute is won, so the
    // whole 100 comes back to the balance (they paid the 70 with the second pack).
    const payer = await createPayingUser(database.db);
    const bought = await buy(payer, "pack_100");
    await waitForApplied(database.db, await waitForEvent(harness.fakes, "checkout.session.completed", bought.before));
    await reserveCredits(database.db, {
      userId: payer.id,
      generationId: await generationRow(payer.id, 90),
      amount: 90,
    });
    const pi = (await stripe.checkout.sessions.retrieve(bought.sessionId)).payment_intent as string;
    mark = harness.fakes.stripe.events().length;
    const payerDispute = harness.fakes.stripe.disputeCharge(
      String(harness.fakes.stripe.objects("charge").find((c) => c.payment_intent === pi)!.id),
    );
    await waitForApplied(database.db, await waitForEvent(harness.fakes, "charge.dispute.created", mark));
    const settle = await buy(payer, "pack_100");
    await waitForApplied(database.db, await waitForEvent(harness.fakes, "checkout.session.completed", settle.before));
    expect(await getCreditStanding(database.db, payer.id)).toEqual({ available: 30, owed: 0 });
    mark = harness.fakes.stripe.events().length;
    harness.fakes.stripe.closeDispute(payerDispute, "won");
    expect(await waitForApplied(database.db, await waitForEvent(harness.fakes, "charge.dispute.closed", mark))).toBe(
      "dispute_won",
    );
    // 20 welcome + 100 + 100 bought − 90 spent.
    expect(await getCreditStanding(database.db, payer.id)).toEqual({ available: 130, owed: 0 });
  });
});

describe("events we cannot place", () => {
  it("an event for an unknown customer is recorded and reported, never a crash", async () => {
    // A customer and a paid checkout made outside the app (e.g. in the dashboard).
    const customer = await stripe.customers.create({ email: "stranger@example.test" });
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [
        { quantity: 1, price_data: { currency: "usd", unit_amount: 999, product_data: { name: "Something else" } } },
      ],
      success_url: "http://example.test/ok",
    });
    const before = harness.fakes.stripe.events().length;
    expect(harness.fakes.stripe.payCheckout(session.id, {})).toEqual({ ok: true });
    const eventId = await waitForEvent(harness.fakes, "checkout.session.completed", before);
    expect(await waitForApplied(database.db, eventId)).toBe("unknown_customer");
    const row = await database.db
      .selectFrom("payment_events")
      .selectAll()
      .where("event_id", "=", eventId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ outcome: "unknown_customer", user_id: null });
    const grants = await database.db
      .selectFrom("credit_ledger")
      .select("id")
      .where("payment_reference", "=", session.payment_intent as string)
      .execute();
    expect(grants).toEqual([]);
    // The workflow finished (it did not fail or retry forever).
    await waitFor("the workflow to complete", async () => {
      const description = await worker.client.workflow.getHandle(paymentEventWorkflowId("stripe", eventId)).describe();
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
      const sentinels = {
        name: "Zelda Q. Cardholder",
        addressLine1: "742 Evergreen Terrace",
        postalCode: "90210-4242",
      };
      const { sessionId, before } = await buy(user, "pack_100", { card: stripeTestCards.succeeds, ...sentinels });
      await waitForApplied(database.db, await waitForEvent(harness.fakes, "checkout.session.completed", before));
      // The processor holds them (the fake's objects carry them, as Stripe's do)…
      const session = await stripe.checkout.sessions.retrieve(sessionId);
      expect(session.customer_details?.address?.line1).toBe(sentinels.addressLine1);
      const mark = harness.fakes.stripe.events().length;
      await stripe.refunds.create({ payment_intent: session.payment_intent as string, amount: 250 });
      expect(await waitForApplied(database.db, await waitForEvent(harness.fakes, "charge.refunded", mark))).toBe(
        "taken_back",
      );
      expect((await getCreditStanding(database.db, user.id)).available).toBe(70);
      await harness.fakes.stripe.idle();

      // …but nothing of them is in any table of ours, nor in anything logged.
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
      expect(dump).toContain(session.payment_intent as string);
      const forbidden = [
        sentinels.name,
        sentinels.addressLine1,
        sentinels.postalCode,
        stripeTestCards.succeeds,
        "Evergreen",
        "last4",
        "exp_month",
        "fingerprint",
        "billing_details",
        "customer_details",
      ];
      for (const value of forbidden) {
        expect(dump, `database contains ${value}`).not.toContain(value);
        expect(logged.join("\n"), `logs contain ${value}`).not.toContain(value);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

/** A generation row to hang a reservation on (the reservation is what spends credits). */
/** The newest dispute the fake opened (the disputed test card opens one shortly after paying). */
function lastDisputeId(): string {
  const disputes = harness.fakes.stripe.objects("dispute");
  return String(disputes[disputes.length - 1]!.id);
}

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
