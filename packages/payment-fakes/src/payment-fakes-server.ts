// The payment processor fakes, each on a port of its own as the real APIs are on hosts of their
// own: Stripe's API under /v1 with its hosted checkout, billing portal and receipt pages; Creem's
// API under /v1 with its checkout, customer portal and receipt pages. Each has a small control
// API under /_fake for demos (webhook switches, renew a subscription, dispute a payment).
// Imports only Node built-ins.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody, sendJson } from "./http-helpers";
import { createCreemFake, type CreemFakeControl, type CreemFakeProduct } from "./creem/creem-fake";
import { createStripeFake, type StripeFakeControl } from "./stripe/stripe-fake";

/** Fixed, obviously fake credentials. */
export const fakePaymentCredentials = {
  stripe: { secretKey: "sk_test_fake_animateimg", webhookSecret: "whsec_fake_animateimg_signing_secret" },
  creem: { apiKey: "creem_test_fake_animateimg", webhookSecret: "whsec_fake_animateimg_creem_secret" },
};

export interface StartPaymentFakesOptions {
  port?: number;
  host?: string;
  /** The app's webhook URLs (…/api/webhooks/stripe); unset: no webhooks until set. */
  stripeWebhookUrl?: string;
  /** Port of the Creem fake (0 or unset: any free port). */
  creemPort?: number;
  /** The app's Creem webhook URL (…/api/webhooks/creem); unset: no webhooks until set. */
  creemWebhookUrl?: string;
  /** Products the Creem fake knows from the start (the offers, by their Creem product ids). */
  creemProducts?: CreemFakeProduct[];
  latePaymentMs?: number;
}

export interface PaymentFakes {
  origin: string;
  stripe: StripeFakeControl;
  /** What the Stripe SDK needs to reach this fake. */
  stripeEndpoint: { host: string; port: number; protocol: "http" };
  creem: CreemFakeControl;
  /** The Creem SDK's `serverURL` for this fake. */
  creemOrigin: string;
  credentials: typeof fakePaymentCredentials;
  stop(): Promise<void>;
}

export async function startPaymentFakes(options: StartPaymentFakesOptions = {}): Promise<PaymentFakes> {
  const host = options.host ?? "127.0.0.1";
  let origin = "";
  const stripe = createStripeFake({
    ...fakePaymentCredentials.stripe,
    webhookUrl: options.stripeWebhookUrl,
    origin: () => origin,
    ...(options.latePaymentMs !== undefined ? { latePaymentMs: options.latePaymentMs } : {}),
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin || "http://localhost");
    void (async () => {
      if (url.pathname.startsWith("/_fake/")) return handleControl(req.method ?? "GET", url, await readBody(req), res);
      if (await stripe.handle(req, res, url)) return;
      sendJson(res, 404, {
        error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${url.pathname}).` },
      });
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { type: "api_error", message: String(error) } });
    });
  });

  function handleControl(method: string, url: URL, body: string, res: ServerResponse) {
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    let m: RegExpMatchArray | null;
    if (method === "POST" && url.pathname === "/_fake/stripe/switches") {
      Object.assign(stripe.control.switches, input);
      return sendJson(res, 200, stripe.control.switches);
    }
    if (method === "POST" && (m = url.pathname.match(/^\/_fake\/stripe\/subscriptions\/([^/]+)\/renew$/)))
      return sendJson(res, 200, stripe.control.renewSubscription(m[1]!));
    if (method === "POST" && (m = url.pathname.match(/^\/_fake\/stripe\/charges\/([^/]+)\/dispute$/)))
      return sendJson(res, 200, { dispute: stripe.control.disputeCharge(m[1]!) });
    if (method === "GET" && url.pathname === "/_fake/stripe/events")
      return sendJson(res, 200, { events: stripe.control.events(), deliveries: stripe.control.deliveries() });
    return sendJson(res, 404, { error: "no such control" });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;

  let creemOrigin = "";
  const creem = createCreemFake({
    ...fakePaymentCredentials.creem,
    webhookUrl: options.creemWebhookUrl,
    origin: () => creemOrigin,
    products: options.creemProducts,
    latePaymentMs: options.latePaymentMs,
  });
  const creemServer = createServer((req, res) => {
    const url = new URL(req.url ?? "/", creemOrigin || "http://localhost");
    void (async () => {
      const body = await readBody(req);
      if (url.pathname.startsWith("/_fake/")) return handleCreemControl(req.method ?? "GET", url, body, res);
      if (await creem.handle(req, res, url, body)) return;
      sendJson(res, 404, { status: 404, error: "Not Found", message: [`Cannot ${req.method} ${url.pathname}`] });
    })().catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { status: 500, error: "Internal Server Error", message: [String(error)] });
    });
  });
  function handleCreemControl(method: string, url: URL, body: string, res: ServerResponse) {
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    let m: RegExpMatchArray | null;
    if (method === "POST" && url.pathname === "/_fake/creem/switches") {
      Object.assign(creem.control.switches, input);
      return sendJson(res, 200, creem.control.switches);
    }
    if (method === "POST" && (m = url.pathname.match(/^\/_fake\/creem\/subscriptions\/([^/]+)\/renew$/)))
      return sendJson(res, 200, creem.control.renewSubscription(m[1]!, { fail: input.fail === true }));
    if (method === "POST" && (m = url.pathname.match(/^\/_fake\/creem\/transactions\/([^/]+)\/dispute$/)))
      return sendJson(res, 200, { dispute: creem.control.disputeTransaction(m[1]!) });
    if (method === "GET" && url.pathname === "/_fake/creem/events")
      return sendJson(res, 200, { events: creem.control.events(), deliveries: creem.control.deliveries() });
    return sendJson(res, 404, { error: "no such control" });
  }
  await new Promise<void>((resolve, reject) => {
    creemServer.once("error", reject);
    creemServer.listen(options.creemPort ?? 0, host, () => resolve());
  });
  creemOrigin = `http://${host}:${(creemServer.address() as AddressInfo).port}`;
  return {
    origin,
    stripe: stripe.control,
    stripeEndpoint: { host, port, protocol: "http" },
    creem: creem.control,
    creemOrigin,
    credentials: fakePaymentCredentials,
    stop: async () => {
      stripe.stop();
      creem.stop();
      for (const s of [server, creemServer]) s.closeAllConnections();
      await Promise.all([server, creemServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
