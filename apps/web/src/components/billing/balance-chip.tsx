"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useT } from "~/i18n/i18n-provider";
import { useTRPC } from "~/trpc/react";

/**
 * The header's balance chip: the signed-in user's credits, live. The balance stream (SSE) sends
 * the standing at once and again after every change (a purchase, a generation's reservation, a
 * refund), and keeps billing.balance current for every other view. It links to /pricing (Buy
 * credits). Styled by `.balance-chip`; `data-owed` is set while the account owes credits.
 */
export function BalanceChip() {
  const { t } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const balance = useQuery(trpc.billing.balance.queryOptions());
  useSubscription(
    trpc.billing.onBalance.subscriptionOptions(undefined, {
      onData: (standing) => queryClient.setQueryData(trpc.billing.balance.queryKey(), standing),
    }),
  );
  const owed = balance.data?.owed ?? 0;
  return (
    <Link
      href="/pricing"
      className="balance-chip"
      data-testid="balance-chip"
      data-owed={owed > 0 ? "true" : undefined}
      title={t("billing.buyCredits")}
      aria-label={
        balance.data
          ? `${t("billing.chipLabel", { credits: balance.data.credits })}. ${t("billing.buyCredits")}`
          : t("billing.buyCredits")
      }
    >
      <span data-testid="balance-chip-credits">
        {balance.data ? t("activity.credits", { credits: balance.data.credits }) : "…"}
      </span>
      {owed > 0 ? <span className="balance-chip-owed">{t("billing.owedShort", { owed })}</span> : null}
      <span className="balance-chip-buy" aria-hidden="true">
        +
      </span>
    </Link>
  );
}
