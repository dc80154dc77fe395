"use client";

import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { OAuthButtons } from "../oauth-buttons";
import { FormAlert, FormNotice } from "../form-feedback";

const labels = { github: "GitHub", google: "Google" } as const;

export function ProvidersSection({
  linked,
  available,
  message,
  error,
}: {
  linked: ReadonlyArray<{ provider: "github" | "google"; email: string | null; linkedAt: Date }>;
  available: ReadonlyArray<"github" | "google">;
  message: string | null;
  error: string | null;
}) {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const unlink = useMutation(trpc.account.unlinkProvider.mutationOptions({ onSuccess: () => router.refresh() }));
  const linkable = available.filter((p) => !linked.some((l) => l.provider === p));
  return (
    <div className="settings-stack">
      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
      {message ? <FormNotice>{message}</FormNotice> : null}
      <FormAlert error={unlink.error} />
      {linked.length === 0 ? <p className="detail">{t("settings.noProviders")}</p> : null}
      <ul className="session-list">
        {linked.map((link) => (
          <li key={link.provider} className="card session-item">
            <div>
              <strong>{labels[link.provider]}</strong>
              <div className="detail">
                {link.email ?? t("settings.noEmail")} ·{" "}
                {t("settings.linkedOn", { date: link.linkedAt.toLocaleDateString(locale) })}
              </div>
            </div>
            <button
              type="button"
              disabled={unlink.isPending}
              onClick={() => unlink.mutate({ provider: link.provider })}
            >
              {t("settings.unlink")}
            </button>
          </li>
        ))}
      </ul>
      {linkable.length > 0 ? (
        <OAuthButtons providers={linkable} intent="link" returnTo="/settings?section=providers" t={t} />
      ) : null}
      <p className="detail">{t("settings.unlinkNote")}</p>
    </div>
  );
}
