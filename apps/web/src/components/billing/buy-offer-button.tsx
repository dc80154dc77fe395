"use client";

import { useMutation } from "@tanstack/react-query";
import { useT } from "~/i18n/i18n-provider";
import { useTRPC } from "~/trpc/react";

/** Starts a hosted checkout for one offer and sends the browser there. */
export function BuyOfferButton({ offerId, label }: { offerId: string; label: string }) {
  const { t } = useT();
  const trpc = useTRPC();
  const checkout = useMutation(
    trpc.billing.checkout.mutationOptions({
      onSuccess: ({ url }) => window.location.assign(url),
    }),
  );
  const reason = (checkout.error?.data as { reason?: string | null } | undefined)?.reason;
  return (
    <div className="offer-buy">
      <button
        type="button"
        className="primary"
        onClick={() => checkout.mutate({ offerId })}
        disabled={checkout.isPending || checkout.isSuccess}
        data-testid={`buy-${offerId}`}
      >
        {checkout.isPending || checkout.isSuccess ? t("billing.redirecting") : label}
      </button>
      {checkout.error ? (
        <p className="form-alert" role="alert">
          {reason === "already_subscribed"
            ? t("billing.alreadySubscribed")
            : reason === "payments_not_configured"
              ? t("billing.notConfigured")
              : checkout.error.message}
        </p>
      ) : null}
    </div>
  );
}
