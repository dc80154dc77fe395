"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useT } from "~/i18n/i18n-provider";
import type { MessageKey } from "~/i18n/translate";
import { useTRPC } from "~/trpc/react";

const kindLabels: Record<string, MessageKey> = {
  grant: "history.grant",
  purchase: "history.purchase",
  reserve: "history.reserve",
  capture: "history.capture",
  release: "history.release",
  refund: "history.refund",
  adjust: "history.adjust",
  reversal: "history.reversal",
};

/** Settings → Billing: plan and next renewal, Manage billing, and the credit history with receipts. */
export function BillingSettings({ checkout }: { checkout: string | undefined }) {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const summary = useQuery(trpc.billing.summary.queryOptions());
  const balance = useQuery(trpc.billing.balance.queryOptions());
  const ledger = useQuery(trpc.billing.ledger.queryOptions({ limit: 100 }));
  const portal = useMutation(
    trpc.billing.portal.mutationOptions({ onSuccess: ({ url }) => window.location.assign(url) }),
  );
  const receipt = useMutation(
    trpc.billing.receipt.mutationOptions({ onSuccess: ({ url }) => window.open(url, "_blank", "noopener") }),
  );
  const date = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(d);
  const dateTime = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);
  const money = (amount: number, currency: string) =>
    new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(amount / 100);
  const subscription = summary.data?.subscription;
  return (
    <div className="billing-settings">
      {checkout === "success" ? (
        <p className="form-success" role="status" data-testid="checkout-success">
          {t("billing.thanks")}
        </p>
      ) : null}
      <div className="billing-plan" data-testid="billing-plan">
        <p>
          <strong>{t("billing.balance")}</strong>{" "}
          {balance.data ? t("activity.credits", { credits: balance.data.credits }) : "…"}
        </p>
        {balance.data && balance.data.owed > 0 ? (
          <p className="form-alert" role="alert">
            {t("billing.owedExplained", { owed: balance.data.owed })}{" "}
            <Link href="/pricing">{t("billing.buyCredits")}</Link>
          </p>
        ) : null}
        {subscription ? (
          <>
            <p data-testid="current-plan">
              <strong>{t("billing.plan")}</strong> {subscription.planId} ({subscription.status})
            </p>
            {subscription.currentPeriodEnd ? (
              <p data-testid="next-renewal">
                {subscription.cancelAtPeriodEnd
                  ? t("billing.endsOn", { date: date(subscription.currentPeriodEnd) })
                  : t("billing.renewsOn", { date: date(subscription.currentPeriodEnd) })}
              </p>
            ) : null}
          </>
        ) : (
          <p>
            {t("billing.noPlan")} <Link href="/pricing">{t("billing.seePricing")}</Link>
          </p>
        )}
        {summary.data?.hasBillingAccount ? (
          <button
            type="button"
            onClick={() => portal.mutate()}
            disabled={portal.isPending}
            data-testid="manage-billing"
          >
            {portal.isPending ? t("billing.redirecting") : t("billing.manage")}
          </button>
        ) : null}
        {portal.error ? <p className="form-alert">{portal.error.message}</p> : null}
      </div>

      <h3>{t("history.title")}</h3>
      {ledger.data && ledger.data.length === 0 ? <p>{t("history.empty")}</p> : null}
      <table className="credit-history" data-testid="credit-history">
        <thead>
          <tr>
            <th scope="col">{t("history.when")}</th>
            <th scope="col">{t("history.what")}</th>
            <th scope="col">{t("history.credits")}</th>
            <th scope="col">{t("history.receipt")}</th>
          </tr>
        </thead>
        <tbody>
          {ledger.data?.map((entry) => (
            <tr key={entry.id} data-kind={entry.kind}>
              <td>{dateTime(entry.createdAt)}</td>
              <td>
                {/* A won dispute's credits come back as an adjustment that names the payment. */}
                {t(
                  entry.reason === "dispute_won" ? "history.disputeWon" : (kindLabels[entry.kind] ?? "history.adjust"),
                )}
                {entry.plan ? ` · ${entry.plan}` : ""}
                {entry.paymentAmount !== null && entry.paymentCurrency
                  ? ` · ${money(entry.paymentAmount, entry.paymentCurrency)}`
                  : ""}
                {entry.generationId ? (
                  <>
                    {" · "}
                    <Link href="/activity">{t("history.generation")}</Link>
                  </>
                ) : null}
              </td>
              <td className={entry.amount > 0 ? "credit-in" : "credit-out"}>
                {entry.amount > 0 ? `+${entry.amount}` : entry.amount}
              </td>
              <td>
                {entry.hasReceipt ? (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => receipt.mutate({ ledgerId: entry.id })}
                    data-testid="receipt-link"
                  >
                    {t("history.viewReceipt")}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {receipt.error ? <p className="form-alert">{receipt.error.message}</p> : null}
    </div>
  );
}
