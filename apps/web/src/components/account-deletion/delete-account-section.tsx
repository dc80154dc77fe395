"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { FormNotice } from "../auth/form-feedback";
import { OAuthButtons } from "../auth/oauth-buttons";
import { deletionErrorMessage } from "./deletion-error";

const dateOptions = { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit" } as const;

/**
 * Settings → Delete account: what deletion removes and keeps, in plain words; the password (or
 * a fresh GitHub/Google sign-in) to confirm it is the owner; then the date it happens and a way
 * to cancel until then.
 */
export function DeleteAccountSection({
  signInProviders,
}: {
  /** Providers linked to this account and enabled here: the ways to sign in again. */
  signInProviders: ReadonlyArray<"github" | "google">;
}) {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const status = useQuery(trpc.accountDeletion.status.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.accountDeletion.status.queryKey() });
  const request = useMutation(
    trpc.accountDeletion.request.mutationOptions({
      onSuccess: async () => {
        setPassword("");
        setConfirmed(false);
        await refresh();
      },
    }),
  );
  const cancel = useMutation(trpc.accountDeletion.cancel.mutationOptions({ onSuccess: refresh }));
  const data = status.data;
  const error = deletionErrorMessage(request.error ?? cancel.error ?? status.error, t);

  if (!data) return <p>{status.error ? error : t("common.loading")}</p>;

  if (data.state === "erasing") {
    return (
      <div className="auth-form" data-testid="deletion-status">
        <p role="status">{t("deletion.erasing")}</p>
      </div>
    );
  }

  if (data.state === "scheduled") {
    return (
      <div className="auth-form" data-testid="deletion-status">
        <p role="status">{t("deletion.scheduled", { date: data.eraseAfter.toLocaleString(locale, dateOptions) })}</p>
        <p className="field-hint">{t("deletion.cancelHint")}</p>
        {error ? (
          <p className="form-alert" role="alert">
            {error}
          </p>
        ) : null}
        <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
          {cancel.isPending ? t("deletion.canceling") : t("deletion.cancel")}
        </button>
      </div>
    );
  }

  const { reauthentication } = data;
  const needsFreshSignIn = reauthentication.method === "recent_sign_in" && reauthentication.freshUntil === null;
  return (
    <form
      className="auth-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!confirmed) return;
        request.mutate({ confirm: true, ...(reauthentication.method === "password" ? { password } : {}) });
      }}
    >
      {cancel.isSuccess ? <FormNotice>{t("deletion.canceled")}</FormNotice> : null}
      <p>{t("deletion.removes")}</p>
      <p>{t("deletion.grace", { days: Math.round(data.gracePeriodMs / 86_400_000) })}</p>
      <p className="field-hint">{t("deletion.kept")}</p>
      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
      {reauthentication.method === "password" ? (
        <label className="field">
          <span>{t("deletion.passwordLabel")}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
      ) : needsFreshSignIn ? (
        <div>
          <p>{t("deletion.freshSignInNeeded")}</p>
          <OAuthButtons providers={signInProviders} returnTo="/settings?section=delete-account" t={t} />
        </div>
      ) : (
        <p className="field-hint">
          {t("deletion.freshSignInUntil", {
            time: (reauthentication.freshUntil ?? new Date()).toLocaleTimeString(locale, {
              hour: "2-digit",
              minute: "2-digit",
            }),
          })}
        </p>
      )}
      <label className="checkbox">
        <input type="checkbox" name="confirm" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
        <span>{t("deletion.confirmLabel")}</span>
      </label>
      <button type="submit" className="danger" disabled={!confirmed || needsFreshSignIn || request.isPending}>
        {request.isPending ? t("deletion.submitting") : t("deletion.submit")}
      </button>
    </form>
  );
}
