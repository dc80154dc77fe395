"use client";

import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
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
  const trpc = useTRPC();
  const [newEmail, setNewEmail] = useState("");
  const [currentPassword, setCurrentPassword] = useState("");
  const change = useMutation(trpc.account.changeEmail.mutationOptions({ onSuccess: () => setCurrentPassword("") }));
  return (
    <div className="settings-stack">
      <p>
        Your account uses <strong>{email}</strong>{" "}
        {emailVerified ? (
          <span className="badge healthy">Confirmed</span>
        ) : (
          <span className="badge unhealthy">Not confirmed yet</span>
        )}
      </p>
      {emailVerified ? null : (
        <>
          <p className="detail">
            Confirm your address to start generations and purchases. Check your inbox for our link.
          </p>
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
          <FormNotice>
            We sent a confirmation link to {change.data.pendingEmail}. Your address changes when you follow it.
          </FormNotice>
        ) : null}
        <Field
          label="New email address"
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
        <button type="submit" disabled={change.isPending}>
          {change.isPending ? "Sending…" : "Change email"}
        </button>
      </form>
    </div>
  );
}
