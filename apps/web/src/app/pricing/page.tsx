import type { Metadata } from "next";
import Link from "next/link";
import { getModel, parseModelParams, priceOf, type ModelId } from "@animateimg/catalog";
import { BuyOfferButton } from "~/components/billing/buy-offer-button";
import { getT } from "~/i18n/server";
import { getDependencies } from "~/server/deps";
import { getCurrentSession } from "~/server/session";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("pricing.title")} — AnimateImg` };
}
export const dynamic = "force-dynamic";

/** Credits per second of video at each model's default settings (Animate 720p, Kling standard, VEO 720p). */
function creditsPerSecond(id: ModelId): number {
  const parsed = parseModelParams(id, {});
  if (!parsed.ok) return Number.POSITIVE_INFINITY;
  const seconds = Number(parsed.params.durationSeconds) || 1;
  return priceOf(id, parsed.params) / seconds;
}
const measured: ModelId[] = ["animate", "kling-3", "veo-3.1"];

export default async function PricingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ t, locale }, session, params] = await Promise.all([getT(), getCurrentSession(), searchParams]);
  const payments = getDependencies().payments;
  const offers = payments?.offers;
  const enabled = Boolean(payments?.processor);
  const money = (amount: number, currency: string) =>
    new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(amount / 100);
  const buys = (credits: number) =>
    measured.map((id) => (
      <li key={id}>
        {t("pricing.seconds", { seconds: Math.floor(credits / creditsPerSecond(id)), model: getModel(id).label })}
      </li>
    ));
  const action = (offerId: string, label: string) =>
    !session ? (
      <Link href={`/sign-up?returnTo=/pricing`} className="button-link">
        {t("pricing.signUpToBuy")}
      </Link>
    ) : enabled ? (
      <BuyOfferButton offerId={offerId} label={label} />
    ) : (
      <p className="field-hint">{t("billing.notConfigured")}</p>
    );
  return (
    <main className="pricing-page">
      <h1>{t("pricing.title")}</h1>
      <p className="lede">{t("pricing.lede")}</p>
      {params.checkout === "canceled" ? (
        <p className="form-alert" role="status">
          {t("pricing.canceled")}
        </p>
      ) : null}
      <h2>{t("pricing.packs")}</h2>
      <ul className="offer-grid" data-testid="packs">
        {offers?.packs.map((pack) => (
          <li key={pack.id} className="card offer" data-testid={`offer-${pack.id}`}>
            <h3>{t("activity.credits", { credits: pack.credits })}</h3>
            <p className="offer-price">{money(pack.price, pack.currency)}</p>
            <p className="field-hint">{t("pricing.buysUpTo")}</p>
            <ul className="offer-buys">{buys(pack.credits)}</ul>
            {action(pack.id, t("pricing.buyPack", { credits: pack.credits }))}
          </li>
        ))}
      </ul>
      <h2>{t("pricing.plans")}</h2>
      <p className="field-hint">{t("pricing.plansHint")}</p>
      <ul className="offer-grid" data-testid="plans">
        {offers?.plans.map((plan) => (
          <li key={plan.id} className="card offer" data-testid={`offer-${plan.id}`}>
            <h3>{plan.name}</h3>
            <p className="offer-price">{t("pricing.perMonth", { price: money(plan.price, plan.currency) })}</p>
            <p>{t("pricing.creditsPerMonth", { credits: plan.credits })}</p>
            <ul className="offer-buys">{buys(plan.credits)}</ul>
            {action(plan.id, t("pricing.subscribe", { plan: plan.name }))}
          </li>
        ))}
      </ul>
      <p className="field-hint">{t("pricing.privacy")}</p>
    </main>
  );
}
