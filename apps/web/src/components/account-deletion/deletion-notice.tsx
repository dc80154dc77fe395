"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { deletionErrorMessage } from "./deletion-error";

/** "Your account will be deleted on …" with Cancel deletion, until the person cancels or the date comes. */
export function DeletionNotice({ date }: { date: string }) {
  const { t } = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const cancel = useMutation(trpc.accountDeletion.cancel.mutationOptions({ onSuccess: () => router.refresh() }));
  const error = deletionErrorMessage(cancel.error, t);
  return (
    <section className="privacy-notice" aria-labelledby="deletion-notice-title" data-testid="deletion-notice">
      <strong id="deletion-notice-title">{t("deletion.noticeTitle", { date })}</strong>
      <p>{t("deletion.noticeBody")}</p>
      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
      <div className="privacy-notice-actions">
        <Link href="/settings?section=delete-account">{t("deletion.title")}</Link>
        <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
          {cancel.isPending ? t("deletion.canceling") : t("deletion.cancel")}
        </button>
      </div>
    </section>
  );
}
