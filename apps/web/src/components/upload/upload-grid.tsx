"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useT } from "~/i18n/i18n-provider";
import { useTRPC } from "~/trpc/react";

/** The signed-in user's uploads as thumbnails, each with a delete button. */
export function UploadGrid() {
  const { t } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Signed URLs live 15 minutes; refreshing every 10 keeps the thumbnails loadable.
  const list = useQuery({ ...trpc.upload.list.queryOptions({}), refetchInterval: 10 * 60_000 });
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(
    trpc.upload.delete.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.upload.list.queryKey() }),
      onError: (failure) => setError(failure.message),
    }),
  );

  if (list.isPending) return <p className="detail">{t("uploads.loading")}</p>;
  if (list.isError) return <p className="form-alert">{t("uploads.loadFailed", { message: list.error.message })}</p>;
  if (list.data.items.length === 0) return <p className="detail">{t("uploads.none")}</p>;

  return (
    <>
      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
      <ul className="upload-grid" aria-label={t("uploads.label")}>
        {list.data.items.map((asset) => (
          <li key={asset.id} className="upload-tile card">
            <img src={asset.urls.thumbnail} alt={asset.name} loading="lazy" />
            <div className="upload-tile-meta">
              <span className="upload-name" title={asset.name}>
                {asset.name}
              </span>
              <span className="detail">
                {asset.kind === "video"
                  ? t("uploads.video", { seconds: ((asset.durationMs ?? 0) / 1000).toFixed(1) })
                  : t("uploads.photo")}{" "}
                · {asset.width} × {asset.height}
              </span>
            </div>
            <button
              type="button"
              onClick={() => {
                setError(null);
                if (window.confirm(t("uploads.confirmDelete", { name: asset.name }))) remove.mutate({ id: asset.id });
              }}
              disabled={remove.isPending && remove.variables.id === asset.id}
            >
              {t("uploads.delete")}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
