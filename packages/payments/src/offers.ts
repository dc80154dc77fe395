// What can be bought, in one place: credit packs (one payment) and monthly plans (credits every
// billing period). Defaults below; a deployment overrides them with PAYMENT_OFFERS (JSON of the
// same shape). Prices are in minor units (cents) of a lowercase ISO currency. Safe to import in
// the browser: no I/O here.
import { z } from "zod";

const currency = z.string().regex(/^[a-z]{3}$/, { message: "a lowercase ISO 4217 code, e.g. usd" });

export const creditPackSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+$/),
  credits: z.number().int().positive(),
  /** Minor units (cents). */
  price: z.number().int().positive(),
  currency,
  /** Creem product id for this offer (Creem prices live on its products); the fakes use the offer id. */
  creemProductId: z.string().optional(),
});

export const planSchema = creditPackSchema.extend({
  name: z.string().min(1),
  interval: z.literal("month"),
});

export const offersSchema = z.object({
  packs: z.array(creditPackSchema).min(1),
  plans: z.array(planSchema),
});

export type CreditPack = z.infer<typeof creditPackSchema>;
export type Plan = z.infer<typeof planSchema>;
export type Offers = z.infer<typeof offersSchema>;
export type Offer = ({ kind: "pack" } & CreditPack) | ({ kind: "plan" } & Plan);

export const defaultOffers: Offers = {
  packs: [
    { id: "pack_100", credits: 100, price: 500, currency: "usd" },
    { id: "pack_500", credits: 500, price: 2000, currency: "usd" },
    { id: "pack_2000", credits: 2000, price: 7000, currency: "usd" },
  ],
  plans: [
    { id: "starter", name: "Starter", credits: 300, price: 1200, currency: "usd", interval: "month" },
    { id: "pro", name: "Pro", credits: 1200, price: 4000, currency: "usd", interval: "month" },
  ],
};

/** Reads PAYMENT_OFFERS (JSON) or returns the defaults; a malformed value throws with the field named. */
export function parseOffers(json: string | undefined): Offers {
  if (!json || json.trim() === "") return defaultOffers;
  const parsed = offersSchema.parse(JSON.parse(json));
  const ids = [...parsed.packs, ...parsed.plans].map((o) => o.id);
  if (new Set(ids).size !== ids.length) throw new Error("PAYMENT_OFFERS: offer ids must be unique");
  return parsed;
}

export function findOffer(offers: Offers, id: string): Offer | undefined {
  const pack = offers.packs.find((p) => p.id === id);
  if (pack) return { kind: "pack", ...pack };
  const plan = offers.plans.find((p) => p.id === id);
  return plan ? { kind: "plan", ...plan } : undefined;
}
