// One Node http server for the payment processor fakes: Stripe's API under /v1, its hosted
// checkout, billing portal and receipt pages, and a small control API under /_fake for demos
// (webhook switches, renew a subscription, dispute a charge). Imports only Node built-ins.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody, sendJson } from "./http-helpers";
import { createStripeFake, type StripeFakeControl } from "./stripe/stripe-fake";

/** Fixed, obviously fake credentials. */
export const fakePaymentCredentials = {
  stripe: { secretKey: "sk_test_fake_animateimg", webhookSecret: "whsec_fake_animateimg_signing_secret" },
};

export interface StartPaymentFakesOptions {
  port?: number;
  host?: string;
  /** The app's webhook URLs (…/api/webhooks/stripe); unset: no webhooks until set. */
  stripeWebhookUrl?: string;
  latePaymentMs?: number;
}

export interface PaymentFakes {
  origin: string;
  stripe: StripeFakeControl;
  /** What the Stripe SDK needs to reach this fake. */
  stripeEndpoint: { host: string; port: number; protocol: "http" };
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
      sendJson(res, 404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${url.pathname}).` } });
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
    if (method === "POST" && (m = url.pathname.match(/^\/_fake\/stripe\/subscriptions\/([^/]+)\/renew$/))) return sendJson(res, 200, stripe.control.renewSubscription(m[1]!));
    if (method === "POST" && (m = url.pathname.match(/^\/_fake\/stripe\/charges\/([^/]+)\/dispute$/))) return sendJson(res, 200, { dispute: stripe.control.disputeCharge(m[1]!) });
    if (method === "GET" && url.pathname === "/_fake/stripe/events") return sendJson(res, 200, { events: stripe.control.events(), deliveries: stripe.control.deliveries() });
    return sendJson(res, 404, { error: "no such control" });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;
  return {
    origin,
    stripe: stripe.control,
    stripeEndpoint: { host, port, protocol: "http" },
    credentials: fakePaymentCredentials,
    stop: async () => {
      stripe.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
