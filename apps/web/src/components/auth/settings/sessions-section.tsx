"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { FormAlert, FormNotice } from "../form-feedback";

function formatWhen(date: Date, locale: string): string {
  return date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

export function SessionsSection() {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery({ ...trpc.account.listSessions.queryOptions(), staleTime: 0 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.account.listSessions.queryKey() });
  const revoke = useMutation(trpc.account.revokeSession.mutationOptions({ onSettled: refresh }));
  const revokeOthers = useMutation(trpc.account.revokeOtherSessions.mutationOptions({ onSettled: refresh }));

  if (sessions.error) return <FormAlert error={sessions.error} />;
  if (!sessions.data) return <p className="detail">{t("settings.loadingSessions")}</p>;
  const others = sessions.data.filter((s) => !s.current).length;
  return (
    <div className="settings-stack">
      <p className="detail">{t("settings.sessionsLede")}</p>
      <FormAlert error={revoke.error ?? revokeOthers.error} />
      {revokeOthers.data ? (
        <FormNotice>{t("settings.signedOutOthers", { count: revokeOthers.data.revoked })}</FormNotice>
      ) : null}
      <ul className="session-list">
        {sessions.data.map((session) => (
          <li key={session.id} className="card session-item">
            <div>
              <strong>{t("settings.browserOn", { browser: session.browser, os: session.os })}</strong>{" "}
              {session.current ? <span className="badge healthy">{t("settings.thisDevice")}</span> : null}
              <div className="detail">
                {session.place ?? t("settings.locationUnknown")}
                {session.ip ? ` · IP ${session.ip}` : ""} ·{" "}
                {t("settings.lastActive", { when: formatWhen(session.lastSeenAt, locale) })} ·{" "}
                {t("settings.signedInAt", { when: formatWhen(session.createdAt, locale) })}
              </div>
            </div>
            {session.current ? null : (
              <button
                type="button"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate({ sessionId: session.id })}
              >
                {t("settings.signOutSession")}
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" disabled={others === 0 || revokeOthers.isPending} onClick={() => revokeOthers.mutate()}>
        {revokeOthers.isPending ? t("auth.signingOut") : t("settings.signOutOthers")}
      </button>
    </div>
  );
}
