"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { Field, FormAlert, fieldError } from "./form-feedback";
import { OAuthButtons } from "./oauth-buttons";

export function SignUpForm({ providers }: { providers: ReadonlyArray<"github" | "google"> }) {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [ageConfirmed, setAgeConfirmed] = useState(false);
  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: () => {
        router.push("/verify-email?sent=1");
        router.refresh();
      },
    }),
  );
  const ageError = fieldError(signUp.error, "ageConfirmed");
  return (
    <>
      <form
        className="auth-form"
        onSubmit={(event) => {
          event.preventDefault();
          signUp.mutate({ name, email, password, ageConfirmed, locale });
        }}
      >
        <FormAlert error={signUp.error} />
        <Field
          label={t("auth.name")}
          name="name"
          autoComplete="name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={signUp.error}
        />
        <Field
          label={t("auth.email")}
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={signUp.error}
        />
        <Field
          label={t("auth.password")}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          hint={t("auth.passwordHint")}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={signUp.error}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            name="ageConfirmed"
            checked={ageConfirmed}
            onChange={(e) => setAgeConfirmed(e.target.checked)}
            aria-invalid={ageError ? true : undefined}
          />
          <span>{t("auth.ageConfirm")}</span>
        </label>
        {ageError ? <span className="field-error">{ageError}</span> : null}
        <p className="field-hint">
          {t("auth.consent")} <Link href="/privacy">{t("privacy.readPolicy")}</Link>
        </p>
        <button type="submit" className="primary" disabled={signUp.isPending}>
          {signUp.isPending ? t("auth.creating") : t("auth.createButton")}
        </button>
      </form>
      {providers.length > 0 ? (
        <div className="auth-alternatives">
          <p className="detail">{ageConfirmed ? t("auth.orSignUpWith") : t("auth.orSignUpWithAge")}</p>
          <OAuthButtons providers={providers} ageConfirmed={ageConfirmed} t={t} />
        </div>
      ) : null}
      <p className="auth-links">
        {t("auth.haveAccount")} <Link href="/sign-in">{t("auth.signInTitle")}</Link>
      </p>
    </>
  );
}
