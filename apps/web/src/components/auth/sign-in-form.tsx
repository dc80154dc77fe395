"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { Field, FormAlert } from "./form-feedback";

export function SignInForm({ returnTo }: { returnTo: string }) {
  const { t } = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: () => {
        router.push(returnTo);
        router.refresh();
      },
    }),
  );
  return (
    <form
      className="auth-form"
      onSubmit={(event) => {
        event.preventDefault();
        signIn.mutate({ email, password });
      }}
    >
      <FormAlert error={signIn.error} />
      <Field
        label={t("auth.email")}
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={signIn.error}
      />
      <Field
        label={t("auth.password")}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={signIn.error}
      />
      <button type="submit" className="primary" disabled={signIn.isPending}>
        {signIn.isPending ? t("auth.signingIn") : t("auth.signInTitle")}
      </button>
      <p className="auth-links">
        <Link href="/forgot-password">{t("auth.forgotLink")}</Link> ·{" "}
        <Link href="/sign-up">{t("auth.createAccountLink")}</Link>
      </p>
    </form>
  );
}
