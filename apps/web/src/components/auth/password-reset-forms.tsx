"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { Field, FormAlert, FormNotice } from "./form-feedback";

export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  if (request.data) {
    return (
      <FormNotice>
        If an account uses {email}, we sent it a link to choose a new password. The link works once, for one hour.
      </FormNotice>
    );
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
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={request.error}
      />
      <button type="submit" className="primary" disabled={request.isPending}>
        {request.isPending ? "Sending…" : "Email me a reset link"}
      </button>
      <p className="auth-links">
        <Link href="/sign-in">Back to sign in</Link>
      </p>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  if (reset.data) {
    return (
      <FormNotice>
        Your password was changed and every device was signed out.{" "}
        <Link href="/sign-in">Sign in with your new password</Link>
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
      <FormAlert error={reset.error}>{mismatch ? "The two passwords do not match." : null}</FormAlert>
      <Field
        label="New password"
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
        label="Repeat the new password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
      />
      <button type="submit" className="primary" disabled={reset.isPending}>
        {reset.isPending ? "Saving…" : "Set new password"}
      </button>
      {reset.error ? (
        <p className="auth-links">
          <Link href="/forgot-password">Request a new link</Link>
        </p>
      ) : null}
    </form>
  );
}
