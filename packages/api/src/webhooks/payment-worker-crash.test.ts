// A worker dies (SIGKILL) while applying a payment event: it has asked the processor for the
// checkout's current state and not yet written the ledger. Temporal retries the activity on the
// surviving worker after its start-to-close timeout, and the pack is granted exactly once.
// The same for each processor a deployment can choose (PAYMENTS_PROVIDER=stripe|creem).
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getCreditStanding } from "@animateimg/billing";
import { ledgerViolations } from "@animateimg/billing/testing";
import type { PaymentProcessorId } from "@animateimg/db";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import { startCheckout } from "@animateimg/payments";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";
import { connectTestClient, startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import {
  createPayingUser,
  startPaymentHarness,
  testOffers,
  waitForApplied,
  waitForEvent,
  type PaymentHarness,
} from "../testing/payment-harness";
import { paymentEventWorkflowId } from "@animateimg/workflows/workflow-ids";

/** What differs per processor: how the child reaches the fake, the completing event, and the read the child is caught in. */
const processors: Record<
  PaymentProcessorId,
  {
    childEnv: (harness: PaymentHarness) => Record<string, string>;
    completedEvent: string;
    isStateRead: (request: { method: string; path: string }, checkoutId: string) => boolean;
  }
> = {
  stripe: {
    childEnv: (harness) => ({
      STRIPE_SECRET_KEY: harness.fakes.credentials.stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: harness.fakes.credentials.stripe.webhookSecret,
      STRIPE_PORT: String(harness.fakes.stripeEndpoint.port),
    }),
    completedEvent: "checkout.session.completed",
    isStateRead: (r, id) => r.method === "GET" && r.path === `/v1/checkout/sessions/${id}`,
  },
  creem: {
    childEnv: (harness) => ({
      CREEM_API_KEY: harness.fakes.credentials.creem.apiKey,
      CREEM_WEBHOOK_SECRET: harness.fakes.credentials.creem.webhookSecret,
      CREEM_SERVER_URL: harness.fakes.creemOrigin,
    }),
    completedEvent: "checkout.completed",
    // The official SDK reads a checkout as GET /v1/checkouts?checkout_id=…
    isStateRead: (r, id) =>
      r.method === "GET" &&
      r.path.startsWith("/v1/checkouts?") &&
      new URLSearchParams(r.path.split("?")[1]).get("checkout_id") === id,
  },
};

describe.each(["stripe", "creem"] as const)("worker killed mid-apply (%s)", (provider) => {
  const processor = processors[provider];
  let database: TestDatabase;
  let harness: PaymentHarness;
  let survivor: TestWorker | undefined;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  const taskQueue = `payment-crash-${provider}-${process.pid}-${Date.now()}`;
  const fake = () => harness.fakes[provider];

  beforeAll(async () => {
    database = await createTestDatabase();
    client = await connectTestClient();
    // Short apply timeout so the retry after the kill comes within seconds (production: 1 minute).
    harness = await startPaymentHarness({
      provider,
      db: () => database.db,
      orchestrator: () => createOrchestrator({ client: client.client, taskQueue }),
      applyTimeout: "4 seconds",
    });
  });
  afterAll(async () => {
    await survivor?.shutdown();
    await client?.close();
    await harness?.stop();
    await database?.drop();
  });

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
          ...processor.childEnv(harness),
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
      await waitFor(
        "the child worker to poll",
        () => Promise.resolve(output.includes("worker-ready") ? true : undefined),
        { timeoutMs: 60_000 },
      );
      const user = await createPayingUser(database.db);
      const { url } = await startCheckout(
        database.db,
        { processor: harness.processor, offers: testOffers, appUrl: "http://app.test" },
        { userId: user.id, email: user.email, offerId: "pack_100" },
      );
      const checkoutId = url.split("/").pop()!;
      // The processor answers slowly, so the child is caught between reading the checkout and writing the ledger.
      fake().switches.slowApiMs = 30_000;
      const before = fake().events().length;
      const reads = () =>
        fake()
          .requests()
          .filter((r) => processor.isStateRead(r, checkoutId)).length;
      expect(fake().payCheckout(checkoutId, {})).toEqual({ ok: true });
      const eventId = await waitForEvent(fake(), processor.completedEvent, before);
      await waitFor("the child worker to fetch the checkout's current state", () =>
        Promise.resolve(reads() > 0 ? true : undefined),
      );
      // The event is stored and its workflow started, and nothing is granted yet.
      expect(
        await database.db
          .selectFrom("payment_events")
          .select("applied_at")
          .where("processor", "=", provider)
          .where("event_id", "=", eventId)
          .executeTakeFirstOrThrow(),
      ).toEqual({ applied_at: null });
      process.kill(-child.pid!, "SIGKILL");
      expect(await exited).toBe("SIGKILL");
      expect((await getCreditStanding(database.db, user.id)).available).toBe(20);

      fake().switches.slowApiMs = 0;
      survivor = await startTestWorker({
        db: database.db,
        taskQueue,
        deps: { payments: { processor: harness.processor, offers: testOffers } },
      });
      expect(await waitForApplied(database.db, eventId, 90_000, provider)).toBe("granted");
      // The survivor read the checkout again (the state is fetched per attempt, not remembered).
      expect(reads()).toBeGreaterThanOrEqual(2);
      await fake().idle();
      expect(await getCreditStanding(database.db, user.id)).toEqual({ available: 120, owed: 0 });
      const purchases = await database.db
        .selectFrom("credit_ledger")
        .select(["payment_processor"])
        .where("user_id", "=", user.id)
        .where("kind", "=", "purchase")
        .execute();
      expect(purchases).toEqual([{ payment_processor: provider }]);
      const history = await client.client.workflow.getHandle(paymentEventWorkflowId(provider, eventId)).fetchHistory();
      // The killed worker's attempt timed out and was retried: the grant came from a later attempt
      // (Temporal records only the last attempt's start, with its number).
      const started = history.events?.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0) ?? [];
      expect(Math.max(...started)).toBeGreaterThanOrEqual(2);
      expect(await ledgerViolations(database.db)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    }
  });
});
