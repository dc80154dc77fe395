"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { Field, FormAlert, fieldError } from "./form-feedback";
import { OAuthButtons } from "./oauth-buttons";

export function SignUpForm({ providers }: { providers: ReadonlyArray<"github" | "google"> }) {
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
          signUp.mutate({ name, email, password, ageConfirmed });
        }}
      >
        <FormAlert error={signUp.error} />
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={signUp.error}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={signUp.error}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          hint="8 to 128 characters. A few unrelated words make a strong, memorable password."
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
          <span>I am 13 years of age or older.</span>
        </label>
        {ageError ? <span className="field-error">{ageError}</span> : null}
        <p className="field-hint">
          By creating an account you accept how we handle your data, as described in our privacy policy. We will send
          you transactional emails (verification, security and billing); these cannot be turned off.
        </p>
        <button type="submit" className="primary" disabled={signUp.isPending}>
          {signUp.isPending ? "Creating your account…" : "Create account"}
        </button>
      </form>
      {providers.length > 0 ? (
        <div className="auth-alternatives">
          <p className="detail">Or sign up with{ageConfirmed ? "" : " (confirm your age above first)"}:</p>
          <OAuthButtons providers={providers} ageConfirmed={ageConfirmed} />
        </div>
      ) : null}
      <p className="auth-links">
        Already have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </>
  );
}
