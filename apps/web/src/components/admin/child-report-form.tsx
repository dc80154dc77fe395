"use client";

import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { Field, FormAlert, FormNotice } from "../auth/form-feedback";

/** Administrators: the email of the reported account, a confirmation, and the deletion starts now. */
export function ChildReportForm() {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const remove = useMutation(
    trpc.admin.deleteChildAccount.mutationOptions({
      onSuccess: () => {
        setEmail("");
        setConfirmed(false);
      },
    }),
  );
  return (
    <form
      className="auth-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (confirmed) remove.mutate({ email, confirm: true });
      }}
    >
      <FormAlert error={remove.error} />
      {remove.data ? <FormNotice>Deletion started for account {remove.data.userId}.</FormNotice> : null}
      <Field
        label="Email of the reported account"
        name="email"
        type="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={remove.error}
      />
      <label className="checkbox">
        <input type="checkbox" name="confirm" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
        <span>I confirm this account was reported as a child&apos;s and is to be deleted now.</span>
      </label>
      <button type="submit" className="danger" disabled={!confirmed || remove.isPending}>
        {remove.isPending ? "Starting…" : "Delete this account now"}
      </button>
    </form>
  );
}
