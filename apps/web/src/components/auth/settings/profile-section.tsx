"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { Field, FormAlert, FormNotice } from "../form-feedback";

export function ProfileSection({ name }: { name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(name);
  const update = useMutation(
    trpc.account.updateProfile.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.account.get.queryKey() });
        router.refresh();
      },
    }),
  );
  return (
    <form
      className="auth-form"
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate({ name: value });
      }}
    >
      <FormAlert error={update.error} />
      {update.isSuccess ? <FormNotice>Saved.</FormNotice> : null}
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        required
        maxLength={100}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={update.error}
      />
      <button type="submit" disabled={update.isPending}>
        {update.isPending ? "Saving…" : "Save name"}
      </button>
    </form>
  );
}
