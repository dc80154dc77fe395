"use client";

import { useCallback, useEffect, useId, useRef, useState, type ChangeEvent, type DragEvent } from "react";
import { uploadFile, UploadError, type UploadedAsset } from "./upload-request";

const photoTypes = "image/jpeg,image/png,image/webp,image/avif,image/heic,image/heif,.heic,.heif,.avif";
const videoTypes = "video/mp4,video/quicktime,video/webm,.mov";
const MAX_BYTES = 100 * 1024 * 1024;

type State =
  | { phase: "idle" }
  | { phase: "uploading"; file: File; previewUrl: string | null; progress: number }
  | { phase: "done"; asset: UploadedAsset }
  | { phase: "failed"; fileName: string; message: string };

export interface UploaderProps {
  /** Only photos, only reference videos, or both. */
  kind?: "image" | "video";
  onUploaded?: (asset: UploadedAsset) => void;
}

/**
 * Drop a file, pick one, or paste one: it is previewed at once, uploaded with a progress bar,
 * and then shown as we stored it (re-encoded, metadata removed). Every refusal shows the
 * server's own sentence, which says what to do.
 */
export function Uploader({ kind, onUploaded }: UploaderProps) {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const [state, setState] = useState<State>({ phase: "idle" });
  const [dragging, setDragging] = useState(false);

  const start = useCallback(
    async (file: File) => {
      abortRef.current?.abort();
      if (file.size === 0)
        return setState({
          phase: "failed",
          fileName: file.name,
          message: "This file is empty (0 bytes). Choose it again.",
        });
      if (file.size > MAX_BYTES)
        return setState({
          phase: "failed",
          fileName: file.name,
          message: "Uploads may be at most 100 MB (photos 20 MB).",
        });
      const previewUrl =
        file.type.startsWith("image/") || file.type.startsWith("video/") ? URL.createObjectURL(file) : null;
      const controller = new AbortController();
      abortRef.current = controller;
      setState({ phase: "uploading", file, previewUrl, progress: 0 });
      try {
        const asset = await uploadFile(file, {
          kind,
          signal: controller.signal,
          onProgress: (progress) =>
            setState((current) =>
              current.phase === "uploading" && current.file === file ? { ...current, progress } : current,
            ),
        });
        setState({ phase: "done", asset });
        onUploaded?.(asset);
      } catch (error) {
        if (error instanceof UploadError && error.reason === "canceled") return setState({ phase: "idle" });
        setState({
          phase: "failed",
          fileName: file.name,
          message: error instanceof Error ? error.message : "The upload failed.",
        });
      } finally {
        if (previewUrl) URL.revokeObjectURL(previewUrl);
      }
    },
    [kind, onUploaded],
  );

  // Paste from the clipboard anywhere on the page (a screenshot, a copied photo).
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const file = Array.from(event.clipboardData?.files ?? [])[0];
      if (!file) return;
      event.preventDefault();
      void start(file);
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  }, [start]);

  useEffect(() => () => abortRef.current?.abort(), []);

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void start(file);
  };
  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) void start(file);
  };

  const accept = kind === "image" ? photoTypes : kind === "video" ? videoTypes : `${photoTypes},${videoTypes}`;
  const what =
    kind === "video"
      ? "a reference video (MP4, MOV or WebM)"
      : kind === "image"
        ? "a photo (JPEG, PNG, WebP, AVIF or HEIC)"
        : "a photo or a reference video";

  return (
    <div className="uploader">
      <div
        className={`upload-dropzone${dragging ? " dragging" : ""}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="upload-dropzone"
      >
        <p>
          Drop {what} here, paste it, or{" "}
          <label htmlFor={inputId} className="upload-pick">
            choose a file
          </label>
          .
        </p>
        <p className="field-hint">
          Photos up to 20 MB and 40 megapixels; reference videos up to 100 MB and 30 seconds.
        </p>
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          accept={accept}
          onChange={onPick}
          className="visually-hidden"
          data-testid="upload-input"
        />
      </div>

      {state.phase === "uploading" ? (
        <div className="upload-status card" aria-live="polite">
          <UploadPreview file={state.file} url={state.previewUrl} />
          <div className="upload-progress-row">
            <span className="upload-name">{state.file.name}</span>
            <progress max={1} value={state.progress} aria-label={`Uploading ${state.file.name}`} />
            <span>{state.progress < 1 ? `${Math.round(state.progress * 100)}%` : "Checking…"}</span>
            <button type="button" onClick={() => abortRef.current?.abort()}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}

      {state.phase === "done" ? (
        <div className="upload-status card" aria-live="polite" data-testid="upload-done">
          {state.asset.kind === "video" ? (
            <video
              src={state.asset.urls.original}
              poster={state.asset.urls.poster ?? undefined}
              controls
              muted
              className="upload-preview"
            />
          ) : (
            <img src={state.asset.urls.thumbnail} alt={`Preview of ${state.asset.name}`} className="upload-preview" />
          )}
          <p className="form-notice">
            {state.asset.name} is ready: {state.asset.width} × {state.asset.height}
            {state.asset.durationMs ? `, ${(state.asset.durationMs / 1000).toFixed(1)} s` : ""}. Location and camera
            details were removed.
          </p>
        </div>
      ) : null}

      {state.phase === "failed" ? (
        <p className="form-alert" role="alert" data-testid="upload-error">
          <strong>{state.fileName}:</strong> {state.message}
        </p>
      ) : null}
    </div>
  );
}

function UploadPreview({ file, url }: { file: File; url: string | null }) {
  const [broken, setBroken] = useState(false);
  if (!url || broken) return <div className="upload-preview upload-preview-empty">Preview after upload</div>;
  if (file.type.startsWith("video/"))
    return <video src={url} muted className="upload-preview" onError={() => setBroken(true)} />;
  // Browsers other than Safari cannot show HEIC: fall back to a placeholder until the server's JPEG is back.
  return <img src={url} alt={`Preview of ${file.name}`} className="upload-preview" onError={() => setBroken(true)} />;
}
