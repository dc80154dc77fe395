// `pnpm --filter @animateimg/payment-fakes start [stripePort] [stripeWebhookUrl] [creemPort] [creemWebhookUrl]`:
// the payment fakes on their own, for demos. The Creem fake knows the default offers' product ids.
import { startPaymentFakes } from "../index";

const fakes = await startPaymentFakes({
  port: Number(process.argv[2] ?? 12111),
  stripeWebhookUrl: process.argv[3] ?? "http://127.0.0.1:3000/api/webhooks/stripe",
  creemPort: Number(process.argv[4] ?? 12112),
  creemWebhookUrl: process.argv[5] ?? "http://127.0.0.1:3000/api/webhooks/creem",
  creemProducts: [
    { id: "pack_100", name: "100 credits", price: 500, currency: "usd", billingType: "onetime" },
    { id: "pack_500", name: "500 credits", price: 2000, currency: "usd", billingType: "onetime" },
    { id: "pack_2000", name: "2,000 credits", price: 7000, currency: "usd", billingType: "onetime" },
    { id: "starter", name: "Starter: 300 credits a month", price: 1200, currency: "usd", billingType: "recurring" },
    { id: "pro", name: "Pro: 1,200 credits a month", price: 4000, currency: "usd", billingType: "recurring" },
  ],
});
console.log(
  `payment fakes: Stripe at ${fakes.origin} (key ${fakes.credentials.stripe.secretKey}, webhook secret ${fakes.credentials.stripe.webhookSecret})`,
);
console.log(
  `payment fakes: Creem at ${fakes.creemOrigin} (key ${fakes.credentials.creem.apiKey}, webhook secret ${fakes.credentials.creem.webhookSecret})`,
);
process.on("SIGINT", () => void fakes.stop().then(() => process.exit(0)));
