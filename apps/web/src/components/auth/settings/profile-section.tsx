"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { Field, FormAlert, FormNotice } from "../form-feedback";

export function ProfileSection({ name }: { name: string }) {
  const { t } = useT();
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
      {update.isSuccess ? <FormNotice>{t("settings.saved")}</FormNotice> : null}
      <Field
        label={t("auth.name")}
        name="name"
        autoComplete="name"
        required
        maxLength={100}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={update.error}
      />
      <button type="submit" disabled={update.isPending}>
        {update.isPending ? t("auth.saving") : t("settings.saveName")}
      </button>
    </form>
  );
}
