"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { Field, FormAlert, FormNotice } from "../form-feedback";

export function PasswordSection({ hasPassword }: { hasPassword: boolean }) {
  const { t } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: async () => {
        setCurrentPassword("");
        setNewPassword("");
        await queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
      },
    }),
  );
  return (
    <form
      className="auth-form"
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate({ currentPassword: hasPassword ? currentPassword : undefined, newPassword });
      }}
    >
      <p className="detail">{hasPassword ? t("settings.passwordSignsOut") : t("settings.passwordOauthOnly")}</p>
      <FormAlert error={change.error} />
      {change.data ? (
        <FormNotice>
          {t(hasPassword ? "settings.passwordChanged" : "settings.passwordSet", {
            count: change.data.signedOutSessions,
          })}
        </FormNotice>
      ) : null}
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
        error={change.error}
      />
      <button type="submit" disabled={change.isPending}>
        {change.isPending ? t("auth.saving") : hasPassword ? t("settings.changePassword") : t("settings.setPassword")}
      </button>
    </form>
  );
}
