"use client";

import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";

export function SignOutButton() {
  const { t } = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.push("/");
        router.refresh();
      },
    }),
  );
  return (
    <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
      {signOut.isPending ? t("auth.signingOut") : t("auth.signOut")}
    </button>
  );
}
