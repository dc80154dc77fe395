// With no payment keys set, `npm start` runs the payment processor's local fake: the official
// SDK talks to it, its hosted checkout page takes test cards, and it delivers signed webhooks to
// the web app, so buying credits works end to end offline.
import { startPaymentFakes } from "@animateimg/payment-fakes";

export async function startDemoPayments(options: { provider: "stripe"; webUrl: string; log: (line: string) => void }) {
  const fakes = await startPaymentFakes({ stripeWebhookUrl: `${options.webUrl}/api/webhooks/stripe` });
  const c = fakes.credentials;
  options.log(`payments: no STRIPE_SECRET_KEY, so the local Stripe fake at ${fakes.origin} takes payments (test card 4242 4242 4242 4242)`);
  return {
    env: {
      PAYMENTS_PROVIDER: options.provider,
      STRIPE_SECRET_KEY: c.stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: c.stripe.webhookSecret,
      STRIPE_API_BASE_URL: fakes.origin,
    } satisfies Record<string, string>,
    stop: () => fakes.stop(),
  };
}
