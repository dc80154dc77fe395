"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { FormAlert, FormNotice } from "./form-feedback";

/**
 * Confirming takes a click rather than happening on page load, so link scanners in mail
 * systems that open every URL cannot use the single-use link up.
 */
export function VerifyEmailForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions({ onSuccess: () => router.refresh() }));
  if (verify.data) {
    return (
      <FormNotice>
        {verify.data.kind === "change_email"
          ? `Your account now uses ${verify.data.email}.`
          : `Thank you — ${verify.data.email} is confirmed.`}{" "}
        <Link href="/">Continue to AnimateImg</Link>
      </FormNotice>
    );
  }
  return (
    <div className="auth-form">
      <FormAlert error={verify.error} />
      <button type="button" className="primary" disabled={verify.isPending} onClick={() => verify.mutate({ token })}>
        {verify.isPending ? "Confirming…" : "Confirm my email address"}
      </button>
    </div>
  );
}

export function ResendVerification() {
  const trpc = useTRPC();
  const resend = useMutation(trpc.auth.requestEmailVerification.mutationOptions());
  return (
    <div className="auth-form">
      <FormAlert error={resend.error} />
      {resend.data ? (
        <FormNotice>
          {resend.data.alreadyVerified
            ? "Your email is already confirmed."
            : "We sent a new link. Only the newest link works."}
        </FormNotice>
      ) : null}
      <button type="button" disabled={resend.isPending} onClick={() => resend.mutate()}>
        {resend.isPending ? "Sending…" : "Send me a new link"}
      </button>
    </div>
  );
}
