"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { FormAlert, FormNotice } from "./form-feedback";

/**
 * Confirming takes a click rather than happening on page load, so link scanners in mail
 * systems that open every URL cannot use the single-use link up.
 */
export function VerifyEmailForm({ token }: { token: string }) {
  const { t } = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions({ onSuccess: () => router.refresh() }));
  if (verify.data) {
    return (
      <FormNotice>
        {verify.data.kind === "change_email"
          ? t("auth.verifyChanged", { email: verify.data.email })
          : t("auth.verifyDone", { email: verify.data.email })}{" "}
        <Link href="/">{t("auth.continueToApp")}</Link>
      </FormNotice>
    );
  }
  return (
    <div className="auth-form">
      <FormAlert error={verify.error} />
      <button type="button" className="primary" disabled={verify.isPending} onClick={() => verify.mutate({ token })}>
        {verify.isPending ? t("auth.confirming") : t("auth.confirmButton")}
      </button>
    </div>
  );
}

export function ResendVerification() {
  const { t } = useT();
  const trpc = useTRPC();
  const resend = useMutation(trpc.auth.requestEmailVerification.mutationOptions());
  return (
    <div className="auth-form">
      <FormAlert error={resend.error} />
      {resend.data ? (
        <FormNotice>{resend.data.alreadyVerified ? t("auth.alreadyVerified") : t("auth.newLinkSent")}</FormNotice>
      ) : null}
      <button type="button" disabled={resend.isPending} onClick={() => resend.mutate()}>
        {resend.isPending ? t("auth.sending") : t("auth.sendNewLink")}
      </button>
    </div>
  );
}
