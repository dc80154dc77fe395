"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { Field, FormAlert, FormNotice } from "./form-feedback";

export function ForgotPasswordForm() {
  const { t } = useT();
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  if (request.data) {
    return <FormNotice>{t("auth.resetSent", { email })}</FormNotice>;
  }
  return (
    <form
      className="auth-form"
      onSubmit={(event) => {
        event.preventDefault();
        request.mutate({ email });
      }}
    >
      <FormAlert error={request.error} />
      <Field
        label={t("auth.email")}
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={request.error}
      />
      <button type="submit" className="primary" disabled={request.isPending}>
        {request.isPending ? t("auth.sending") : t("auth.sendReset")}
      </button>
      <p className="auth-links">
        <Link href="/sign-in">{t("auth.backToSignIn")}</Link>
      </p>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const { t } = useT();
  const trpc = useTRPC();
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  if (reset.data) {
    return (
      <FormNotice>
        {t("auth.resetDone")} <Link href="/sign-in">{t("auth.signInWithNew")}</Link>
      </FormNotice>
    );
  }
  return (
    <form
      className="auth-form"
      onSubmit={(event) => {
        event.preventDefault();
        setMismatch(newPassword !== confirm);
        if (newPassword === confirm) reset.mutate({ token, newPassword });
      }}
    >
      <FormAlert error={reset.error}>{mismatch ? t("auth.mismatch") : null}</FormAlert>
      <Field
        label={t("auth.newPassword")}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        maxLength={128}
        value={newPassword}
        onChange={(e) => setNewPassword(e.target.value)}
        error={reset.error}
      />
      <Field
        label={t("auth.repeatPassword")}
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
      />
      <button type="submit" className="primary" disabled={reset.isPending}>
        {reset.isPending ? t("auth.saving") : t("auth.setNewPassword")}
      </button>
      {reset.error ? (
        <p className="auth-links">
          <Link href="/forgot-password">{t("auth.requestNewLink")}</Link>
        </p>
      ) : null}
    </form>
  );
}
