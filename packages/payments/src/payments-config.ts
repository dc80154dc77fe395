// Which processor a deployment uses and how to reach it. The app validates env into this shape
// (PAYMENTS_PROVIDER, STRIPE_*, CREEM_*) and hands it to createPaymentProcessor.
import { createCreemProcessor, type CreemProcessorOptions } from "./creem-processor";
import { createStripeProcessor, type StripeProcessorOptions } from "./stripe-processor";
import type { PaymentProcessor, PaymentProcessorId } from "./processor";
import { parseOffers, type Offers } from "./offers";

export interface PaymentsConfig {
  provider: PaymentProcessorId;
  stripe?: StripeProcessorOptions;
  creem?: CreemProcessorOptions;
}

/** The configured processor, or undefined when its keys are missing (payments off). */
export function createPaymentProcessor(config: PaymentsConfig): PaymentProcessor | undefined {
  if (config.provider === "stripe" && config.stripe) return createStripeProcessor(config.stripe);
  if (config.provider === "creem" && config.creem) return createCreemProcessor(config.creem);
  return undefined;
}

/** Splits a base URL (e.g. the local fake's http://127.0.0.1:4242) into the SDK's host/port/protocol. */
export function stripeEndpointFromUrl(url: string): Pick<StripeProcessorOptions, "host" | "port" | "protocol"> {
  const parsed = new URL(url);
  const protocol = parsed.protocol === "http:" ? "http" : "https";
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : protocol === "http" ? 80 : 443, protocol };
}

export interface PaymentsEnv {
  PAYMENTS_PROVIDER: PaymentProcessorId;
  STRIPE_SECRET_KEY?: string | undefined;
  STRIPE_WEBHOOK_SECRET?: string | undefined;
  STRIPE_API_BASE_URL?: string | undefined;
  CREEM_API_KEY?: string | undefined;
  CREEM_WEBHOOK_SECRET?: string | undefined;
  CREEM_API_BASE_URL?: string | undefined;
  PAYMENT_OFFERS?: string | undefined;
}

/** The processor and offers from validated env (the app's env.ts validates it with paymentsEnv). */
export function paymentsFromEnv(env: PaymentsEnv): { processor: PaymentProcessor | undefined; offers: Offers } {
  const offers = parseOffers(env.PAYMENT_OFFERS);
  const stripe =
    env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
      ? {
          secretKey: env.STRIPE_SECRET_KEY,
          webhookSecret: env.STRIPE_WEBHOOK_SECRET,
          ...(env.STRIPE_API_BASE_URL ? stripeEndpointFromUrl(env.STRIPE_API_BASE_URL) : {}),
        }
      : undefined;
  const creem =
    env.CREEM_API_KEY && env.CREEM_WEBHOOK_SECRET
      ? {
          apiKey: env.CREEM_API_KEY,
          webhookSecret: env.CREEM_WEBHOOK_SECRET,
          offers,
          ...(env.CREEM_API_BASE_URL ? { serverURL: env.CREEM_API_BASE_URL } : {}),
        }
      : undefined;
  return {
    processor: createPaymentProcessor({
      provider: env.PAYMENTS_PROVIDER,
      ...(stripe ? { stripe } : {}),
      ...(creem ? { creem } : {}),
    }),
    offers,
  };
}
