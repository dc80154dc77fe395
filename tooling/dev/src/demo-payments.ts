// With no payment keys set, `npm start` runs the chosen payment processor's local fake: the
// official SDK talks to it, its hosted checkout page takes test cards, and it delivers signed
// webhooks to the web app, so buying credits works end to end offline (Stripe or Creem).
import { startPaymentFakes } from "@animateimg/payment-fakes";
import { creemProductsForOffers, parseOffers } from "@animateimg/payments";

export async function startDemoPayments(options: {
  provider: "stripe" | "creem";
  webUrl: string;
  paymentOffers?: string | undefined;
  log: (line: string) => void;
}): Promise<{ env: Record<string, string>; stop: () => Promise<void> }> {
  const fakes = await startPaymentFakes({
    stripeWebhookUrl: `${options.webUrl}/api/webhooks/stripe`,
    creemWebhookUrl: `${options.webUrl}/api/webhooks/creem`,
    // Creem sells products: the fake starts with one per offer, named as the offers map them.
    creemProducts: creemProductsForOffers(parseOffers(options.paymentOffers)),
  });
  const c = fakes.credentials;
  if (options.provider === "creem") {
    options.log(
      `payments: no CREEM_API_KEY, so the local Creem fake at ${fakes.creemOrigin} takes payments (test card 4242 4242 4242 4242)`,
    );
    return {
      env: {
        PAYMENTS_PROVIDER: "creem",
        CREEM_API_KEY: c.creem.apiKey,
        CREEM_WEBHOOK_SECRET: c.creem.webhookSecret,
        CREEM_API_BASE_URL: fakes.creemOrigin,
      } satisfies Record<string, string>,
      stop: () => fakes.stop(),
    };
  }
  options.log(
    `payments: no STRIPE_SECRET_KEY, so the local Stripe fake at ${fakes.origin} takes payments (test card 4242 4242 4242 4242)`,
  );
  return {
    env: {
      PAYMENTS_PROVIDER: "stripe",
      STRIPE_SECRET_KEY: c.stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: c.stripe.webhookSecret,
      STRIPE_API_BASE_URL: fakes.origin,
    } satisfies Record<string, string>,
    stop: () => fakes.stop(),
  };
}
