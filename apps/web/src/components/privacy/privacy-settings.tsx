"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { FormAlert } from "../auth/form-feedback";

/** Settings → Privacy: the policy accepted, and the marketing email switch (transactional email has none). */
export function PrivacySettings() {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.privacy.status.queryOptions());
  const toggle = useMutation(
    trpc.privacy.setMarketingOptIn.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.privacy.status.queryKey() }),
    }),
  );
  const data = status.data;
  return (
    <div className="auth-form">
      <p>
        <Link href="/privacy">{t("privacy.readPolicy")}</Link>
      </p>
      {data ? (
        <p data-testid="privacy-accepted">
          {data.accepted
            ? t("privacy.acceptedOn", {
                version: data.accepted.version,
                date: data.accepted.acceptedAt.toLocaleDateString(locale, {
                  year: "numeric",
                  month: "long",
                  day: "numeric",
                }),
              })
            : t("privacy.notAccepted")}
        </p>
      ) : (
        <p>{t("common.loading")}</p>
      )}
      <FormAlert error={toggle.error ?? status.error} />
      <label className="checkbox">
        <input
          type="checkbox"
          name="marketingOptIn"
          checked={data?.marketingOptIn ?? false}
          disabled={!data || toggle.isPending}
          onChange={(e) => toggle.mutate({ optIn: e.target.checked })}
        />
        <span>{t("privacy.marketingLabel")}</span>
      </label>
      <p className="field-hint">{t("privacy.marketingHint")}</p>
      <p className="field-hint">{t("privacy.transactionalNote")}</p>
    </div>
  );
}
