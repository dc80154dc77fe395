"use client";

import Link from "next/link";
import { useRef } from "react";
import { useQueries } from "@tanstack/react-query";
import { useT } from "~/i18n/i18n-provider";
import { statusText } from "~/i18n/status-text";
import { useTRPC } from "~/trpc/react";
import { GenerationMedia } from "../activity/generation-media";
import { statusKey } from "../activity/status-words";
import { useLiveGenerations } from "../activity/use-live-generations";
import { useModels } from "../activity/use-models";

/**
 * A batch side by side: the same photo on several models, or several photos on one model.
 * Each tile updates live (photo and progress, then the video); "Play together" starts every
 * finished clip from its first frame at once, so the motions can be compared.
 */
export function CompareView({ ids }: { ids: string[] }) {
  const { t, tc } = useT();
  const trpc = useTRPC();
  useLiveGenerations();
  const { labelOf } = useModels();
  const grid = useRef<HTMLDivElement>(null);
  const generations = useQueries({
    queries: ids.map((generationId) => ({ ...trpc.generation.byId.queryOptions({ generationId }), retry: false })),
  });
  const ready = generations.filter((query) => query.data?.status === "succeeded").length;
  const total = generations.reduce((sum, query) => sum + (query.data?.priceCredits ?? 0), 0);

  const playTogether = () => {
    const videos = Array.from(grid.current?.querySelectorAll("video") ?? []);
    for (const video of videos) {
      video.muted = true;
      video.currentTime = 0;
    }
    for (const video of videos) void video.play().catch(() => undefined);
  };

  return (
    <div className="compare">
      <div className="compare-toolbar">
        <span className="detail" data-testid="compare-summary" aria-live="polite">
          {t("compare.summary", { ready, count: ids.length, credits: total })}
        </span>
        <button type="button" onClick={playTogether} disabled={ready === 0} data-testid="compare-play">
          {t("compare.playTogether")}
        </button>
        <Link href="/activity">{t("compare.toActivity")}</Link>
      </div>
      <div ref={grid} className={`compare-grid count-${Math.min(ids.length, 4)}`} data-testid="compare-grid">
        {generations.map((query, index) => {
          const g = query.data;
          return (
            <article
              key={ids[index]}
              className="card compare-item"
              data-testid="compare-item"
              data-generation-id={ids[index]}
              data-status={g?.status ?? "unknown"}
            >
              {g ? (
                <>
                  <GenerationMedia generation={g} label={tc(labelOf(g.modelId))} />
                  <div className="generation-head">
                    <h2>{tc(labelOf(g.modelId))}</h2>
                    <span className={`status-pill ${g.status}`}>{t(statusKey[g.status])}</span>
                  </div>
                  <p className="detail">
                    {t("activity.credits", { credits: g.priceCredits })}
                    {g.output ? ` · ${(g.output.durationMs / 1000).toFixed(1)} s` : ""}
                    {g.status === "failed" && (g.statusDetail || g.failureReason)
                      ? ` · ${g.statusDetail ? statusText(g.statusDetail, t, tc) : g.failureReason}`
                      : ""}
                  </p>
                </>
              ) : query.isError ? (
                <p className="form-alert">{query.error.message}</p>
              ) : (
                <div className="video-frame" />
              )}
            </article>
          );
        })}
      </div>
    </div>
  );
}
