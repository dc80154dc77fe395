"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { drawPreviewFrame, frameAtTime, frameCount, outputSize, type AnimateParams } from "@animateimg/motion";
import { useT } from "~/i18n/i18n-provider";
import { usePrefersReducedMotion } from "../ui/use-reduced-motion";

/** Long side of the preview canvas in pixels (the CSS box scales it to the column). */
const previewLongSide = 480;
/** The photo is downscaled once to this long side, so each frame resamples a small bitmap. */
const sourceLongSide = 1280;

type Source = { bitmap: HTMLCanvasElement; width: number; height: number };

function usePhotoBitmap(url: string | null): { source: Source | null; failed: boolean } {
  const [state, setState] = useState<{ url: string; source: Source | null; failed: boolean } | null>(null);
  useEffect(() => {
    if (!url) return;
    let current = true;
    const image = new Image();
    image.decoding = "async";
    image.src = url;
    image
      .decode()
      .then(() => {
        if (!current) return;
        const scale = Math.min(1, sourceLongSide / Math.max(image.naturalWidth, image.naturalHeight));
        const bitmap = document.createElement("canvas");
        bitmap.width = Math.max(1, Math.round(image.naturalWidth * scale));
        bitmap.height = Math.max(1, Math.round(image.naturalHeight * scale));
        const context = bitmap.getContext("2d");
        if (!context) throw new Error("no 2d canvas");
        context.imageSmoothingQuality = "high";
        context.drawImage(image, 0, 0, bitmap.width, bitmap.height);
        setState({ url, source: { bitmap, width: bitmap.width, height: bitmap.height }, failed: false });
      })
      .catch(() => current && setState({ url, source: null, failed: true }));
    return () => {
      current = false;
    };
  }, [url]);
  return state && state.url === url ? state : { source: null, failed: false };
}

function canvasSize(params: AnimateParams) {
  const frame = outputSize(params.aspectRatio, "480p");
  const scale = previewLongSide / Math.max(frame.width, frame.height);
  return { width: Math.round(frame.width * scale), height: Math.round(frame.height * scale) };
}

/**
 * Animate's motion on the person's own photo, drawn in the browser with the engine's own
 * camera path (@animateimg/motion), before anything is paid. Plays on a loop; pauses when the
 * reader prefers reduced motion (the scrubber still shows every frame).
 */
export function MotionPreview({ photoUrl, params: given }: { photoUrl: string | null; params: AnimateParams }) {
  const { t } = useT();
  const id = useId();
  const reduced = usePrefersReducedMotion();
  const [playingChoice, setPlayingChoice] = useState<boolean | null>(null);
  const playing = playingChoice ?? !reduced;
  const { source, failed } = usePhotoBitmap(photoUrl);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // The form hands in a new object on every render; the motion only changes with its values.
  const motionKey = JSON.stringify(given);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const params = useMemo(() => given, [motionKey]);
  const frames = frameCount(params);
  const [frame, setFrame] = useState(0);
  const size = useMemo(() => canvasSize(params), [params]);
  const shownFrame = Math.min(frame, frames - 1);

  // Playback: a clock started when play begins (or the motion changes) picks the frame.
  useEffect(() => {
    if (!playing || !source) return;
    let handle = 0;
    const started = performance.now() - (shownFrame * 1000) / params.fps;
    const tick = (now: number) => {
      setFrame(frameAtTime(params, frames, now - started));
      handle = requestAnimationFrame(tick);
    };
    handle = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(handle);
    // shownFrame is read once, to resume where playback stopped.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, source, params, frames]);

  useEffect(() => {
    const context = canvasRef.current?.getContext("2d");
    if (!context || !source) return;
    drawPreviewFrame(context, source.bitmap, source, params, shownFrame, size);
  }, [source, params, shownFrame, size]);

  const seconds = (value: number) => (value / params.fps).toFixed(1);
  return (
    <figure
      className="motion-preview"
      data-testid="motion-preview"
      data-frame={shownFrame}
      data-playing={playing && !!source}
    >
      <div className="motion-stage" data-aspect={params.aspectRatio}>
        {source ? (
          <canvas
            ref={canvasRef}
            width={size.width}
            height={size.height}
            role="img"
            aria-label={t("preview.canvasLabel")}
            data-testid="motion-preview-canvas"
          />
        ) : (
          <p className="motion-empty">
            {failed ? t("preview.photoFailed") : photoUrl ? t("common.loading") : t("preview.needPhoto")}
          </p>
        )}
      </div>
      <div className="motion-controls">
        <button
          type="button"
          onClick={() => setPlayingChoice(!playing)}
          disabled={!source}
          aria-pressed={playing}
          data-testid="motion-preview-play"
        >
          {playing ? t("preview.pause") : t("preview.play")}
        </button>
        <label htmlFor={`${id}-scrub`} className="visually-hidden">
          {t("preview.scrubLabel")}
        </label>
        <input
          id={`${id}-scrub`}
          type="range"
          min={0}
          max={frames - 1}
          step={1}
          value={shownFrame}
          disabled={!source}
          onChange={(event) => {
            setPlayingChoice(false);
            setFrame(Number(event.target.value));
          }}
          data-testid="motion-preview-scrub"
        />
        <output className="motion-time" htmlFor={`${id}-scrub`}>
          {t("preview.time", { at: seconds(shownFrame), total: seconds(frames) })}
        </output>
      </div>
      <figcaption className="field-hint">
        {reduced && playingChoice === null ? t("preview.reducedMotion") : t("preview.caption")}
      </figcaption>
    </figure>
  );
}
