// What the payment tests share: a test database, the payment fakes, our webhook route on a
// port of its own (as apps/web mounts it), and a real worker whose activities reach the fake
// through the official SDK. Tests drive the fake's checkout and wait on ledger state.
import { createServer, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import { grantSignupCredits } from "@animateimg/billing";
import type { Db } from "@animateimg/db";
import { waitFor } from "@animateimg/local-services";
import { startPaymentFakes, type PaymentFakes } from "@animateimg/payment-fakes";
import {
  createCreemProcessor,
  createStripeProcessor,
  creemProductsForOffers,
  defaultOffers,
  getPaymentEvent,
  type PaymentProcessor,
  type PaymentProcessorId,
} from "@animateimg/payments";
import type { Orchestrator } from "@animateimg/workflows/orchestrator";
import { createPaymentWebhookHttpHandler } from "../webhooks/payment-webhook-http-handler";

export interface PaymentHarness {
  fakes: PaymentFakes;
  processor: PaymentProcessor;
  webhookUrl: string;
  /** Every answer our webhook route gave, in order. */
  responses: Array<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export async function startPaymentHarness(options: {
  db: () => Db;
  /** Asked on each webhook, so a test may move to another worker (and task queue) midway. */
  orchestrator: () => Orchestrator;
  applyTimeout?: string;
  /** Which processor the app is deployed with (default Stripe). */
  provider?: PaymentProcessorId;
}): Promise<PaymentHarness> {
  const provider = options.provider ?? "stripe";
  const fakes = await startPaymentFakes({ latePaymentMs: 60_000, creemProducts: creemProductsForOffers(testOffers) });
  const processor =
    provider === "creem"
      ? createCreemProcessor({ ...fakes.credentials.creem, serverURL: fakes.creemOrigin, offers: testOffers })
      : createStripeProcessor({ ...fakes.credentials.stripe, ...fakes.stripeEndpoint });
  const handle = createPaymentWebhookHttpHandler({
    getDb: options.db,
    getOrchestrator: options.orchestrator,
    getProcessor: () => processor,
    ...(options.applyTimeout ? { applyTimeout: options.applyTimeout } : {}),
  });
  const responses: Array<{ status: number; body: string }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      void handle(request, (req.url ?? "").split("/").pop() ?? "")
        .then(async (response) => {
          const text = await response.text();
          responses.push({ status: response.status, body: text });
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(text);
        })
        .catch((error: unknown) => {
          responses.push({ status: 500, body: String(error) });
          res.writeHead(500);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const webhookUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/api/webhooks/${provider}`;
  fakes[provider].setWebhookUrl(webhookUrl);
  return {
    fakes,
    processor,
    webhookUrl,
    responses,
    stop: async () => {
      await fakes.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export const testOffers = defaultOffers;

/** A verified user with the welcome credits, as sign-up leaves them. */
export async function createPayingUser(db: Db, welcomeCredits = 20): Promise<{ id: string; email: string }> {
  const email = `${randomUUID()}@example.test`;
  const { id } = await db
    .insertInto("users")
    .values({ email, name: "Paying User", email_verified_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await grantSignupCredits(db, { userId: id, amount: welcomeCredits });
  return { id, email };
}

/** Waits until the event is applied and returns its outcome. */
export async function waitForApplied(
  db: Db,
  eventId: string,
  timeoutMs = 60_000,
  processor: PaymentProcessorId = "stripe",
): Promise<string> {
  return waitFor(
    `payment event ${eventId} to be applied`,
    async () => {
      const event = await getPaymentEvent(db, { processor, eventId });
      return event?.applied_at && event.outcome ? event.outcome : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** Waits until the fake has sent an event of this type (the newest one) and our route answered it. */
export async function waitForEvent(
  fakes: PaymentFakes | { events(): Array<{ id: string; type: string }> },
  type: string,
  after = 0,
): Promise<string> {
  const source = "stripe" in fakes ? fakes.stripe : fakes;
  return waitFor(`a ${type} event`, () => {
    const event = source
      .events()
      .slice(after)
      .find((e) => e.type === type);
    return Promise.resolve(event?.id);
  });
}
