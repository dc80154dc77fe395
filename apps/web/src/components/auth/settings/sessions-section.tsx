"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { FormAlert, FormNotice } from "../form-feedback";

function formatWhen(date: Date): string {
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function SessionsSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery({ ...trpc.account.listSessions.queryOptions(), staleTime: 0 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.account.listSessions.queryKey() });
  const revoke = useMutation(trpc.account.revokeSession.mutationOptions({ onSettled: refresh }));
  const revokeOthers = useMutation(trpc.account.revokeOtherSessions.mutationOptions({ onSettled: refresh }));

  if (sessions.error) return <FormAlert error={sessions.error} />;
  if (!sessions.data) return <p className="detail">Loading your sessions…</p>;
  const others = sessions.data.filter((s) => !s.current).length;
  return (
    <div className="settings-stack">
      <p className="detail">
        Every browser signed in to your account. Sessions end after 30 days without use. Clearing your cookies signs
        that browser out.
      </p>
      <FormAlert error={revoke.error ?? revokeOthers.error} />
      {revokeOthers.data ? <FormNotice>Signed out {revokeOthers.data.revoked} other session(s).</FormNotice> : null}
      <ul className="session-list">
        {sessions.data.map((session) => (
          <li key={session.id} className="card session-item">
            <div>
              <strong>
                {session.browser} on {session.os}
              </strong>{" "}
              {session.current ? <span className="badge healthy">This device</span> : null}
              <div className="detail">
                {session.place ?? "Location unknown"}
                {session.ip ? ` · IP ${session.ip}` : ""} · last active {formatWhen(session.lastSeenAt)} · signed in{" "}
                {formatWhen(session.createdAt)}
              </div>
            </div>
            {session.current ? null : (
              <button
                type="button"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate({ sessionId: session.id })}
              >
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" disabled={others === 0 || revokeOthers.isPending} onClick={() => revokeOthers.mutate()}>
        {revokeOthers.isPending ? "Signing out…" : "Sign out of all other devices"}
      </button>
    </div>
  );
}
