"use client";

import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { ResendVerification } from "../verify-email-form";
import { Field, FormAlert, FormNotice } from "../form-feedback";

export function EmailSection({
  email,
  emailVerified,
  hasPassword,
}: {
  email: string;
  emailVerified: boolean;
  hasPassword: boolean;
}) {
  const { t } = useT();
  const trpc = useTRPC();
  const [newEmail, setNewEmail] = useState("");
  const [currentPassword, setCurrentPassword] = useState("");
  const change = useMutation(trpc.account.changeEmail.mutationOptions({ onSuccess: () => setCurrentPassword("") }));
  return (
    <div className="settings-stack">
      <p>
        {t("settings.emailUses", { email })}{" "}
        {emailVerified ? (
          <span className="badge healthy">{t("settings.confirmed")}</span>
        ) : (
          <span className="badge unhealthy">{t("settings.notConfirmed")}</span>
        )}
      </p>
      {emailVerified ? null : (
        <>
          <p className="detail">{t("settings.confirmToStart")}</p>
          <ResendVerification />
        </>
      )}
      <form
        className="auth-form"
        onSubmit={(event) => {
          event.preventDefault();
          change.mutate({ newEmail, currentPassword: hasPassword ? currentPassword : undefined });
        }}
      >
        <FormAlert error={change.error} />
        {change.data ? (
          <FormNotice>{t("settings.emailChangeSent", { email: change.data.pendingEmail })}</FormNotice>
        ) : null}
        <Field
          label={t("settings.newEmail")}
          name="newEmail"
          type="email"
          autoComplete="email"
          required
          value={newEmail}
          onChange={(e) => setNewEmail(e.target.value)}
          error={change.error}
        />
        {hasPassword ? (
          <Field
            label={t("settings.currentPassword")}
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.target.value)}
            error={change.error}
          />
        ) : null}
        <button type="submit" disabled={change.isPending}>
          {change.isPending ? t("auth.sending") : t("settings.changeEmail")}
        </button>
      </form>
    </div>
  );
}
