"use client";

import { useRef } from "react";
import { useQuery } from "@tanstack/react-query";
import { useT } from "~/i18n/i18n-provider";
import { useTRPC } from "~/trpc/react";
import { usePrefersReducedMotion } from "../ui/use-reduced-motion";
import { isActive, type GenerationItem } from "./generation-types";
import { statusKey } from "./status-words";

/**
 * The uploaded photo's thumbnail: what a generation shows until its poster exists. Signed
 * URLs last 15 minutes; the query is cached for 10 and shared by every generation of the photo.
 */
export function usePhotoThumbnail(imageAssetId: string, wanted: boolean): string | null {
  const trpc = useTRPC();
  const photo = useQuery({
    ...trpc.upload.byId.queryOptions({ id: imageAssetId }),
    enabled: wanted,
    staleTime: 10 * 60_000,
    retry: false,
  });
  return photo.data?.urls.thumbnail ?? null;
}

/**
 * A generation as a picture in a fixed 16:9 box: the photo while it is queued or rendering
 * (with its progress), then the poster; hovering or focusing plays the clip muted on a loop
 * (never under prefers-reduced-motion). The whole box opens the larger viewer.
 */
export function GenerationMedia({
  generation: g,
  label,
  onOpen,
}: {
  generation: GenerationItem;
  label: string;
  onOpen?: (() => void) | undefined;
}) {
  const { t } = useT();
  const reduced = usePrefersReducedMotion();
  const video = useRef<HTMLVideoElement>(null);
  const finished = g.status === "succeeded" && g.videoUrl !== null;
  const photo = usePhotoThumbnail(g.imageAssetId, !finished || !g.posterUrl);
  const percent = Math.round(g.progress * 100);
  const active = isActive(g.status);

  const play = () => {
    if (reduced || !video.current) return;
    video.current.muted = true;
    void video.current.play().catch(() => undefined);
  };
  const stop = () => video.current?.pause();

  const picture = finished ? (
    <video
      ref={video}
      src={g.videoUrl ?? undefined}
      poster={g.posterUrl ?? photo ?? undefined}
      muted
      loop
      playsInline
      // Without a viewer to open (the workspace's latest result), the clip plays in place.
      controls={!onOpen}
      preload="metadata"
      aria-label={t("activity.videoLabel", { model: label })}
      data-testid="generation-video"
      width={640}
      height={360}
    />
  ) : (
    <>
      {photo ? (
        <img className="media-photo" src={photo} alt="" width={640} height={360} data-testid="generation-photo" />
      ) : null}
      <span className={`media-status ${g.status}`}>
        {active
          ? g.queuePosition !== null && g.status === "queued"
            ? t("status.queued")
            : `${percent}%`
          : t(statusKey[g.status])}
      </span>
      {active ? (
        <span className="media-progress" aria-hidden="true">
          <progress max={1} value={g.progress} />
        </span>
      ) : null}
    </>
  );

  const className = `video-frame generation-media${finished ? " finished" : ""} status-${g.status}`;
  if (!onOpen)
    return (
      <div
        className={className}
        role={finished ? undefined : "img"}
        aria-label={finished ? undefined : t(statusKey[g.status])}
      >
        {picture}
      </div>
    );
  return (
    <button
      type="button"
      className={className}
      onClick={onOpen}
      onPointerEnter={play}
      onPointerLeave={stop}
      onFocus={play}
      onBlur={stop}
      aria-label={t("activity.openViewer", { model: label, status: t(statusKey[g.status]) })}
      data-testid="generation-open"
    >
      {picture}
    </button>
  );
}
