"use client";

import { useEffect, useRef, useState } from "react";
import { useT } from "~/i18n/i18n-provider";
import { usePrefersReducedMotion } from "../ui/use-reduced-motion";
import { usePhotoThumbnail } from "./generation-media";
import type { GenerationItem } from "./generation-types";
import { PrivateToggle } from "./private-toggle";
import { statusKey } from "./status-words";

/**
 * The larger view of one generation, over the grid: the video with controls (or the photo
 * and its status while it renders), download and the share toggle. ← and → move through the
 * grid's generations, Esc (or Close) returns focus to the tile it was opened from.
 */
export function GenerationViewer({
  items,
  currentId,
  onNavigate,
  onClose,
  labelOf,
}: {
  items: GenerationItem[];
  currentId: string;
  onNavigate: (generationId: string) => void;
  onClose: () => void;
  labelOf: (generation: GenerationItem) => string;
}) {
  const { t, locale } = useT();
  const reduced = usePrefersReducedMotion();
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const index = items.findIndex((item) => item.id === currentId);
  const g = items[index];
  const photo = usePhotoThumbnail(g?.imageAssetId ?? currentId, g !== undefined && !g.posterUrl);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  // The generation left the list (deleted in another tab): nothing to show.
  useEffect(() => {
    if (!g) onClose();
  }, [g, onClose]);
  if (!g) return null;

  const step = (by: number) => {
    const next = items[index + by];
    if (next) {
      setError(null);
      onNavigate(next.id);
    }
  };
  const label = labelOf(g);
  const finished = g.status === "succeeded" && g.videoUrl !== null;

  return (
    <dialog
      ref={dialog}
      className="viewer"
      aria-labelledby="viewer-title"
      onClose={onClose}
      onKeyDown={(event) => {
        if (event.key === "ArrowRight") {
          event.preventDefault();
          step(1);
        } else if (event.key === "ArrowLeft") {
          event.preventDefault();
          step(-1);
        }
      }}
      data-testid="viewer"
      data-generation-id={g.id}
    >
      <div className="viewer-head">
        <h2 id="viewer-title">
          {label} <span className={`status-pill ${g.status}`}>{t(statusKey[g.status])}</span>
        </h2>
        <span className="detail" data-testid="viewer-position">
          {t("viewer.position", { at: index + 1, total: items.length })}
        </span>
        <button type="button" onClick={() => dialog.current?.close()} data-testid="viewer-close">
          {t("viewer.close")}
        </button>
      </div>
      <div className="viewer-stage">
        <button
          type="button"
          className="viewer-step previous"
          onClick={() => step(-1)}
          disabled={index <= 0}
          aria-label={t("viewer.previous")}
          data-testid="viewer-previous"
        >
          ‹
        </button>
        <div className="video-frame viewer-media">
          {finished ? (
            <video
              key={g.id}
              src={g.videoUrl ?? undefined}
              poster={g.posterUrl ?? undefined}
              controls
              loop
              muted
              playsInline
              autoPlay={!reduced}
              preload="auto"
              aria-label={t("activity.videoLabel", { model: label })}
              data-testid="viewer-video"
              width={1280}
              height={720}
            />
          ) : (
            <>
              {photo ? <img className="media-photo" src={photo} alt="" width={1280} height={720} /> : null}
              <span className={`media-status ${g.status}`}>{t(statusKey[g.status])}</span>
            </>
          )}
        </div>
        <button
          type="button"
          className="viewer-step next"
          onClick={() => step(1)}
          disabled={index >= items.length - 1}
          aria-label={t("viewer.next")}
          data-testid="viewer-next"
        >
          ›
        </button>
      </div>
      <div className="viewer-foot">
        <p className="generation-prompt">{g.prompt || t("activity.noPrompt")}</p>
        <p className="detail">
          {new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(g.createdAt)} ·{" "}
          {t("activity.credits", { credits: g.priceCredits })}
          {g.output ? ` · ${g.output.width}×${g.output.height} · ${(g.output.durationMs / 1000).toFixed(1)} s` : ""}
        </p>
        <div className="viewer-actions">
          {finished && g.downloadUrl ? (
            <a className="button-link" href={g.downloadUrl} download data-testid="viewer-download">
              {t("activity.download")}
            </a>
          ) : null}
          <PrivateToggle generation={g} onError={setError} />
        </div>
        <p className="field-hint">{t("viewer.keys")}</p>
        {error ? (
          <p className="form-alert" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </dialog>
  );
}
