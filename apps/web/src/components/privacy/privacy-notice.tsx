"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { FormAlert } from "../auth/form-feedback";

/** Shown to a signed-in person whose accepted policy version is not the current one, until acknowledged. */
export function PrivacyNotice({ version, date, changes }: { version: string; date: string; changes: string[] }) {
  const { t } = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const acknowledge = useMutation(trpc.privacy.acknowledge.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <section className="privacy-notice" aria-labelledby="privacy-notice-title" data-testid="privacy-notice">
      <strong id="privacy-notice-title">{t("privacy.noticeTitle", { date })}</strong>
      <ul>
        {changes.map((change, i) => (
          <li key={i}>{change}</li>
        ))}
      </ul>
      <FormAlert error={acknowledge.error} />
      <div className="privacy-notice-actions">
        <Link href="/privacy">{t("privacy.readPolicy")}</Link>
        <button type="button" onClick={() => acknowledge.mutate({ version })} disabled={acknowledge.isPending}>
          {t("privacy.acknowledge")}
        </button>
      </div>
    </section>
  );
}
