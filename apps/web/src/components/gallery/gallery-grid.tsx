"use client";

import { useEffect, useRef } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useT } from "~/i18n/i18n-provider";
import { useTRPC } from "~/trpc/react";
import { VideoPlayer } from "../video/video-frame";

/**
 * Shared videos from everyone: the model and the prompt, never who made it. `limit` shows a
 * fixed number (the landing page's examples); without it the grid loads more as one scrolls.
 */
export function GalleryGrid({ limit }: { limit?: number }) {
  const { t, tc } = useT();
  const trpc = useTRPC();
  const gallery = useInfiniteQuery(
    trpc.gallery.list.infiniteQueryOptions({ limit: limit ?? 12 }, { getNextPageParam: (page) => page.nextCursor }),
  );
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = gallery;
  const scrolls = limit === undefined;
  useEffect(() => {
    const element = sentinel.current;
    if (!scrolls || !element || !hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "400px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [scrolls, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (gallery.isPending) return <p className="detail">{t("common.loading")}</p>;
  if (gallery.isError) return <p className="form-alert">{gallery.error.message}</p>;
  const items = gallery.data.pages.flatMap((page) => page.items);
  if (items.length === 0)
    return (
      <p className="detail" data-testid="gallery-empty">
        {t("gallery.empty")}
      </p>
    );

  return (
    <>
      <ul className="gallery-grid" aria-label={t("gallery.title")}>
        {items.map((item) => (
          <li key={item.id} className="card gallery-item" data-testid="gallery-item" data-generation-id={item.id}>
            {item.videoUrl ? (
              <VideoPlayer
                src={item.videoUrl}
                poster={item.posterUrl}
                title={t("activity.videoLabel", { model: tc(item.modelLabel) })}
              />
            ) : null}
            <span className="status-pill model-pill">{tc(item.modelLabel)}</span>
            <p className="generation-prompt">{item.prompt || t("activity.noPrompt")}</p>
          </li>
        ))}
      </ul>
      {scrolls ? (
        <div ref={sentinel} className="load-more">
          {hasNextPage ? (
            <button type="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
              {isFetchingNextPage ? t("common.loading") : t("activity.loadMore")}
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
