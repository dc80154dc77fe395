"use client";

import type { ReactNode } from "react";
import { useT } from "~/i18n/i18n-provider";
import type { Translate } from "~/i18n/translate";

interface ErrorShape {
  message: string;
  data?: {
    fieldErrors?: Record<string, string[]> | null;
    zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null;
    retryAfterSeconds?: number | null;
    code?: string;
  } | null;
}

/** Messages for one field, from a domain error (fieldErrors) or input validation (zodError). */
export function fieldError(error: unknown, field: string): string | null {
  const data = (error as ErrorShape | null)?.data;
  return data?.fieldErrors?.[field]?.[0] ?? data?.zodError?.fieldErrors?.[field]?.[0] ?? null;
}

/** The sentence to show above a form; network failures get a message of their own. */
export function formErrorMessage(error: unknown, t: Translate): string | null {
  if (!error) return null;
  const shaped = error as ErrorShape;
  if (shaped.data?.zodError) return t("auth.checkFields");
  if (!shaped.data) return t("auth.unreachable");
  return shaped.message;
}

export function FormAlert({ error, children }: { error?: unknown; children?: ReactNode }) {
  const { t } = useT();
  const message = formErrorMessage(error, t);
  if (!message && !children) return null;
  return (
    <p className="form-alert" role="alert">
      {message ?? children}
    </p>
  );
}

export function FormNotice({ children }: { children: ReactNode }) {
  return (
    <p className="form-notice" role="status">
      {children}
    </p>
  );
}

export function Field({
  label,
  name,
  error,
  hint,
  ...input
}: {
  label: string;
  name: string;
  error?: unknown;
  hint?: string;
} & React.InputHTMLAttributes<HTMLInputElement>) {
  const message = error ? fieldError(error, name) : null;
  const describedBy = message ? `${name}-error` : hint ? `${name}-hint` : undefined;
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy} {...input} />
      {message ? (
        <span className="field-error" id={`${name}-error`}>
          {message}
        </span>
      ) : hint ? (
        <span className="field-hint" id={`${name}-hint`}>
          {hint}
        </span>
      ) : null}
    </label>
  );
}
