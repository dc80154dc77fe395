"use client";

import Link from "next/link";
import dynamic from "next/dynamic";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useT } from "~/i18n/i18n-provider";
import { useTRPC } from "~/trpc/react";
import { GenerationCard } from "./generation-card";
import { generationStatuses, type GenerationStatus, type ModelId } from "./generation-types";
import { useDeleteWithUndo } from "./use-delete-with-undo";
import { useLiveGenerations } from "./use-live-generations";
import { useModels } from "./use-models";
import { statusKey } from "./status-words";

const PAGE_SIZE = 12;

// The viewer is needed only once a tile is opened: its code loads then.
const GenerationViewer = dynamic(() => import("./generation-viewer").then((module) => module.GenerationViewer), {
  ssr: false,
});

/** The user's generations, newest first, live, filterable, loading more as one scrolls. */
export function ActivityFeed() {
  const { t, tc } = useT();
  const trpc = useTRPC();
  const statusId = useId();
  const modelId = useId();
  const [status, setStatus] = useState<GenerationStatus | "">("");
  const [model, setModel] = useState<ModelId | "">("");
  const [error, setError] = useState<string | null>(null);
  const { live } = useLiveGenerations();
  const { models, labelOf } = useModels();
  const { remove, toast } = useDeleteWithUndo(setError);
  const [viewing, setViewing] = useState<string | null>(null);
  const closeViewer = useCallback(() => setViewing(null), []);

  const list = useInfiniteQuery(
    trpc.generation.list.infiniteQueryOptions(
      { limit: PAGE_SIZE, ...(status ? { status: [status] } : {}), ...(model ? { modelId: [model] } : {}) },
      { getNextPageParam: (page) => page.nextCursor, placeholderData: (previous) => previous },
    ),
  );

  // Infinite scroll: the sentinel below the grid loads the next page as it comes into view.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "400px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="activity">
      <div className="activity-toolbar">
        <div className="field inline-field">
          <label htmlFor={statusId} className="field-label">
            {t("activity.filterStatus")}
          </label>
          <select
            id={statusId}
            value={status}
            onChange={(event) => setStatus(event.target.value as GenerationStatus | "")}
            data-testid="filter-status"
          >
            <option value="">{t("activity.allStatuses")}</option>
            {generationStatuses.map((value) => (
              <option key={value} value={value}>
                {t(statusKey[value])}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline-field">
          <label htmlFor={modelId} className="field-label">
            {t("activity.filterModel")}
          </label>
          <select
            id={modelId}
            value={model}
            onChange={(event) => setModel(event.target.value as ModelId | "")}
            data-testid="filter-model"
          >
            <option value="">{t("activity.allModels")}</option>
            {models?.map((m) => (
              <option key={m.id} value={m.id}>
                {tc(m.label)}
              </option>
            ))}
          </select>
        </div>
        <span className={`live-dot ${live ? "on" : ""}`} data-testid="live-indicator">
          {live ? t("activity.live") : t("activity.connecting")}
        </span>
      </div>

      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}

      {list.isPending ? <p className="detail">{t("common.loading")}</p> : null}
      {list.isError ? (
        <p className="form-alert" role="alert">
          {t("activity.loadFailed", { message: list.error.message })}
        </p>
      ) : null}
      {list.isSuccess && items.length === 0 ? (
        <div className="card empty-state">
          <p>{status || model ? t("activity.emptyFiltered") : t("activity.empty")}</p>
          <Link className="button-link" href="/workspace">
            {t("activity.startOne")}
          </Link>
        </div>
      ) : null}

      <div className="generation-grid" aria-live="off">
        {items.map((generation) => (
          <GenerationCard
            key={generation.id}
            generation={generation}
            modelLabel={tc(labelOf(generation.modelId))}
            onDelete={remove}
            onOpen={() => setViewing(generation.id)}
          />
        ))}
      </div>
      {viewing ? (
        <GenerationViewer
          items={items}
          currentId={viewing}
          onNavigate={setViewing}
          onClose={closeViewer}
          labelOf={(generation) => tc(labelOf(generation.modelId))}
        />
      ) : null}

      <div ref={sentinel} className="load-more">
        {hasNextPage ? (
          <button type="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? t("common.loading") : t("activity.loadMore")}
          </button>
        ) : items.length > 0 ? (
          <p className="detail">{t("activity.end")}</p>
        ) : null}
      </div>
      {toast}
    </div>
  );
}
