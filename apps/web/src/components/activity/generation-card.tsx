"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BuyCreditsLink } from "~/components/billing/buy-credits-link";
import { useT } from "~/i18n/i18n-provider";
import { statusText } from "~/i18n/status-text";
import type { MessageKey } from "~/i18n/translate";
import { useTRPC } from "~/trpc/react";
import { GenerationMedia } from "./generation-media";
import { isActive, type GenerationItem } from "./generation-types";
import { PrivateToggle } from "./private-toggle";
import { statusKey } from "./status-words";

/** Failure reasons the server records as codes only (no sentence of its own). */
const codedFailures: Partial<Record<string, MessageKey>> = {
  abandoned: "activity.failure.abandoned",
  start_failed: "activity.failure.start_failed",
  infrastructure: "activity.failure.infrastructure",
};

interface GenerationCardProps {
  generation: GenerationItem;
  modelLabel: string;
  onDelete: (generationId: string) => void;
  /** Opens the larger viewer on this generation (Activity has one; the workspace does not). */
  onOpen?: (() => void) | undefined;
}

/** One generation: live status and progress, the video, and everything one can do with it. */
export function GenerationCard({ generation: g, modelLabel, onDelete, onOpen }: GenerationCardProps) {
  const { t, tc, locale } = useT();
  // Reasons recorded as codes are worded here; other reasons arrive as they are.
  const failureText = (reason: string) => {
    const key = codedFailures[reason];
    return key ? t(key) : reason;
  };
  // The status as the server recorded it (a code), in the reader's language; rows from before
  // codes have only their English message.
  const detailText = g.statusDetail ? statusText(g.statusDetail, t, tc) : g.statusMessage;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const headingId = useId();
  const [error, setError] = useState<string | null>(null);
  const [logOpen, setLogOpen] = useState(false);
  const onError = (failure: { message: string }) => setError(failure.message);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.generation.pathKey() });

  const cancel = useMutation(trpc.generation.cancel.mutationOptions({ onError, onSuccess: refresh }));
  const retry = useMutation(trpc.generation.retry.mutationOptions({ onError, onSuccess: refresh }));
  // The attempt log is read when opened; the status stream keeps it current afterwards.
  const detail = useQuery({ ...trpc.generation.byId.queryOptions({ generationId: g.id }), enabled: logOpen });

  const active = isActive(g.status);
  const finished = g.status === "succeeded";
  const percent = Math.round(g.progress * 100);
  const title = g.prompt || t("activity.noPrompt");

  return (
    <article
      className="card generation-card"
      aria-labelledby={headingId}
      data-testid="generation-card"
      data-status={g.status}
      data-generation-id={g.id}
    >
      <GenerationMedia generation={g} label={modelLabel} onOpen={onOpen} />

      <div className="generation-head">
        <h3 id={headingId}>{modelLabel}</h3>
        <span className={`status-pill ${g.status}`} data-testid="generation-status">
          {t(statusKey[g.status])}
        </span>
      </div>

      {active ? (
        <div className="generation-progress">
          <progress max={1} value={g.progress} aria-label={t("activity.progressLabel", { percent })} />
          <span className="detail" aria-live="polite">
            {g.queuePosition !== null && g.status === "queued"
              ? t("activity.queuePosition", { position: g.queuePosition })
              : `${percent}%`}
            {detailText ? <span data-testid="generation-status-detail">{` · ${detailText}`}</span> : null}
          </span>
        </div>
      ) : null}
      {g.status === "failed" && (g.statusDetail || g.failureReason) ? (
        <p className="detail failure" data-testid="generation-failure">
          {g.statusDetail ? detailText : failureText(g.failureReason ?? "")}
        </p>
      ) : null}
      {g.status === "failed" && g.failureReason === "insufficient_credits" ? (
        <p className="detail">
          <BuyCreditsLink>{t("billing.buyCredits")}</BuyCreditsLink>
        </p>
      ) : null}

      <p className="generation-prompt" title={title}>
        {title}
      </p>
      <p className="detail">
        {new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(g.createdAt)} ·{" "}
        {t("activity.credits", { credits: g.priceCredits })}
        {g.output ? ` · ${(g.output.durationMs / 1000).toFixed(1)} s` : ""}
      </p>

      <PrivateToggle generation={g} onError={setError} />

      <div className="generation-actions">
        {finished && g.downloadUrl ? (
          <a className="button-link" href={g.downloadUrl} download data-testid="download-link">
            {t("activity.download")}
          </a>
        ) : null}
        {active ? (
          <button type="button" onClick={() => cancel.mutate({ generationId: g.id })} disabled={cancel.isPending}>
            {t("activity.cancel")}
          </button>
        ) : (
          <button
            type="button"
            onClick={() => retry.mutate({ generationId: g.id, idempotencyKey: crypto.randomUUID() })}
            disabled={retry.isPending}
          >
            {finished ? t("activity.again") : t("activity.retry")}
          </button>
        )}
        <Link className="button-link" href={`/workspace?from=${g.id}&only=prompt`}>
          {t("activity.reusePrompt")}
        </Link>
        <Link className="button-link" href={`/workspace?from=${g.id}`}>
          {t("activity.reuseSettings")}
        </Link>
        <button type="button" className="danger" onClick={() => onDelete(g.id)} data-testid="delete-button">
          {t("activity.delete")}
        </button>
      </div>

      <details onToggle={(event) => setLogOpen(event.currentTarget.open)}>
        <summary>{t("activity.attemptLog")}</summary>
        {detail.isPending && logOpen ? <p className="detail">{t("common.loading")}</p> : null}
        {detail.data ? (
          detail.data.attempts.length ? (
            <ol className="attempt-log" data-testid="attempt-log">
              {detail.data.attempts.map((attempt) => (
                <li key={attempt.attemptNo}>{statusText(attempt.description, t, tc)}</li>
              ))}
            </ol>
          ) : (
            <p className="detail">{t("activity.noAttempts")}</p>
          )
        ) : null}
      </details>

      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
    </article>
  );
}
