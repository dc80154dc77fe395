// `pnpm --filter @animateimg/payment-fakes start`: the payment fakes on their own, for demos.
import { startPaymentFakes } from "../index";

const fakes = await startPaymentFakes({
  port: Number(process.argv[2] ?? 12111),
  stripeWebhookUrl: process.argv[3] ?? "http://127.0.0.1:3000/api/webhooks/stripe",
});
console.log(`payment fakes at ${fakes.origin} (Stripe key ${fakes.credentials.stripe.secretKey}, webhook secret ${fakes.credentials.stripe.webhookSecret})`);
process.on("SIGINT", () => void fakes.stop().then(() => process.exit(0)));
