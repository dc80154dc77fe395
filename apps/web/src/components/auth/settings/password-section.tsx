"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { Field, FormAlert, FormNotice } from "../form-feedback";

export function PasswordSection({ hasPassword }: { hasPassword: boolean }) {
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
      <p className="detail">
        {hasPassword
          ? "Changing your password signs out every other device."
          : "Your account uses GitHub or Google to sign in. Set a password to sign in with your email too."}
      </p>
      <FormAlert error={change.error} />
      {change.data ? (
        <FormNotice>
          Password {hasPassword ? "changed" : "set"}. {change.data.signedOutSessions} other session
          {change.data.signedOutSessions === 1 ? " was" : "s were"} signed out.
        </FormNotice>
      ) : null}
      {hasPassword ? (
        <Field
          label="Current password"
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
        label="New password"
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
        {change.isPending ? "Saving…" : hasPassword ? "Change password" : "Set password"}
      </button>
    </form>
  );
}
