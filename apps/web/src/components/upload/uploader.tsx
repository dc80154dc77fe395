"use client";

import { useCallback, useEffect, useId, useRef, useState, type ChangeEvent, type DragEvent } from "react";
import { useT } from "~/i18n/i18n-provider";
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
  const { t } = useT();
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
          message: t("upload.empty"),
        });
      if (file.size > MAX_BYTES)
        return setState({
          phase: "failed",
          fileName: file.name,
          message: t("upload.tooLarge"),
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
          message: error instanceof Error ? error.message : t("upload.failed"),
        });
      } finally {
        if (previewUrl) URL.revokeObjectURL(previewUrl);
      }
    },
    [kind, onUploaded, t],
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
    kind === "video" ? t("upload.whatVideo") : kind === "image" ? t("upload.whatPhoto") : t("upload.whatEither");

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
          {t("upload.dropBefore", { what })}{" "}
          <label htmlFor={inputId} className="upload-pick">
            {t("upload.chooseFile")}
          </label>
          .
        </p>
        <p className="field-hint">{t("upload.limits")}</p>
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
            <progress max={1} value={state.progress} aria-label={t("upload.uploading", { name: state.file.name })} />
            <span>{state.progress < 1 ? `${Math.round(state.progress * 100)}%` : t("upload.checking")}</span>
            <button type="button" onClick={() => abortRef.current?.abort()}>
              {t("upload.cancel")}
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
            <img
              src={state.asset.urls.thumbnail}
              alt={t("upload.previewOf", { name: state.asset.name })}
              className="upload-preview"
            />
          )}
          <p className="form-notice">
            {t("upload.ready", {
              name: state.asset.name,
              size: `${state.asset.width} × ${state.asset.height}${state.asset.durationMs ? `, ${(state.asset.durationMs / 1000).toFixed(1)} s` : ""}`,
            })}
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
  const { t } = useT();
  const [broken, setBroken] = useState(false);
  if (!url || broken) return <div className="upload-preview upload-preview-empty">{t("upload.previewAfter")}</div>;
  if (file.type.startsWith("video/"))
    return <video src={url} muted className="upload-preview" onError={() => setBroken(true)} />;
  // Browsers other than Safari cannot show HEIC: fall back to a placeholder until the server's JPEG is back.
  return (
    <img
      src={url}
      alt={t("upload.previewOf", { name: file.name })}
      className="upload-preview"
      onError={() => setBroken(true)}
    />
  );
}
