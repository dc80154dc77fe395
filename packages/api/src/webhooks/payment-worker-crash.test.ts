// A worker dies (SIGKILL) while applying a payment event: it has asked Stripe for the checkout
// session's current state and not yet written the ledger. Temporal retries the activity on the
// surviving worker after its start-to-close timeout, and the pack is granted exactly once.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getCreditStanding } from "@animateimg/billing";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import { startCheckout } from "@animateimg/payments";
import { connectTestClient, startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createPayingUser, startPaymentHarness, testOffers, waitForApplied, waitForEvent, type PaymentHarness } from "../testing/payment-harness";

let database: TestDatabase;
let harness: PaymentHarness;
let survivor: TestWorker | undefined;
let client: Awaited<ReturnType<typeof connectTestClient>>;
const taskQueue = `payment-crash-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  client = await connectTestClient();
  // Short apply timeout so the retry after the kill comes within seconds (production: 1 minute).
  harness = await startPaymentHarness({ db: () => database.db, client: () => client.client, taskQueue: () => taskQueue, applyTimeout: "4 seconds" });
});
afterAll(async () => {
  await survivor?.shutdown();
  await client?.close();
  await harness?.stop();
  await database?.drop();
});

describe("worker killed mid-apply", () => {
  it("grants the pack exactly once", async () => {
    const child = spawn(
      path.join(import.meta.dirname, "../../../../node_modules/.bin/tsx"),
      [path.join(import.meta.dirname, "../../../workflows/src/testing/worker-process.ts")],
      {
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          TEMPORAL_ADDRESS: inject("temporalAddress"),
          TASK_QUEUE: taskQueue,
          WORKFLOW_BUNDLE_PATH: inject("workflowBundlePath"),
          BLOB_ROOT: "/tmp",
          BLOB_KEY: Buffer.alloc(32).toString("base64"),
          STRIPE_SECRET_KEY: harness.fakes.credentials.stripe.secretKey,
          STRIPE_WEBHOOK_SECRET: harness.fakes.credentials.stripe.webhookSecret,
          STRIPE_PORT: String(harness.fakes.stripeEndpoint.port),
        },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<string | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    try {
      await waitFor("the child worker to poll", () => Promise.resolve(output.includes("worker-ready") ? true : undefined), { timeoutMs: 60_000 });
      const user = await createPayingUser(database.db);
      const { url } = await startCheckout(database.db, { processor: harness.processor, offers: testOffers, appUrl: "http://app.test" }, { userId: user.id, email: user.email, offerId: "pack_100" });
      const sessionId = url.split("/").pop()!;
      // Stripe answers slowly, so the child is caught between reading the session and writing the ledger.
      harness.fakes.stripe.switches.slowApiMs = 30_000;
      const before = harness.fakes.stripe.events().length;
      const reads = () => harness.fakes.stripe.requests().filter((r) => r.method === "GET" && r.path === `/v1/checkout/sessions/${sessionId}`).length;
      expect(harness.fakes.stripe.payCheckout(sessionId, {})).toEqual({ ok: true });
      const eventId = await waitForEvent(harness.fakes, "checkout.session.completed", before);
      await waitFor("the child worker to fetch the session's current state", () => Promise.resolve(reads() > 0 ? true : undefined));
      process.kill(-child.pid!, "SIGKILL");
      expect(await exited).toBe("SIGKILL");
      expect((await getCreditStanding(database.db, user.id)).available).toBe(20);

      harness.fakes.stripe.switches.slowApiMs = 0;
      survivor = await startTestWorker({ db: database.db, taskQueue, deps: { payments: { processor: harness.processor, offers: testOffers } } });
      expect(await waitForApplied(database.db, eventId, 90_000)).toBe("granted");
      // The survivor read the session again (the state is fetched per attempt, not remembered).
      expect(reads()).toBeGreaterThanOrEqual(2);
      await harness.fakes.stripe.idle();
      expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 120, owed: 0 });
      const purchases = await database.db.selectFrom("credit_ledger").select("id").where("user_id", "=", user.id).where("kind", "=", "purchase").execute();
      expect(purchases).toHaveLength(1);
      const history = await client.client.workflow.getHandle(`payment-event-stripe-${eventId}`).fetchHistory();
      const failedAttempts = history.events?.filter((e) => e.activityTaskTimedOutEventAttributes || e.activityTaskStartedEventAttributes) ?? [];
      expect(failedAttempts.length).toBeGreaterThanOrEqual(1);
      expect(await ledgerViolations(database.db)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    }
  });
});
