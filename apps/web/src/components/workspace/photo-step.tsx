"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useT } from "~/i18n/i18n-provider";
import { useTRPC } from "~/trpc/react";
import { Uploader } from "../upload/uploader";

export interface ChosenMedia {
  id: string;
  name: string;
  thumbnail: string;
  /** The full (re-encoded) file: the live preview draws from it. */
  original: string;
}

/**
 * Step 1: the uploads issue's own uploader (drop, pick or paste), or one of the user's recent
 * photos, so animating the same photo again needs no new upload.
 */
export function PhotoStep({
  kind,
  value,
  onChange,
  title,
}: {
  kind: "image" | "video";
  value: ChosenMedia | null;
  onChange: (media: ChosenMedia) => void;
  title: string;
}) {
  const { t } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const recent = useQuery(trpc.upload.list.queryOptions({ kind, limit: 8 }));
  return (
    <section className="workspace-step" aria-labelledby={`step-${kind}`}>
      <h2 id={`step-${kind}`} className="step-title">
        {title}
      </h2>
      <Uploader
        kind={kind}
        onUploaded={(asset) => {
          onChange({ id: asset.id, name: asset.name, thumbnail: asset.urls.thumbnail, original: asset.urls.original });
          void queryClient.invalidateQueries({ queryKey: trpc.upload.list.queryKey() });
        }}
      />
      {recent.data && recent.data.items.length > 0 ? (
        <fieldset className="recent-photos">
          <legend className="field-label">{t("workspace.recentUploads")}</legend>
          <div className="recent-grid">
            {recent.data.items.map((asset) => (
              <label key={asset.id} className={`recent-tile${value?.id === asset.id ? " selected" : ""}`}>
                <input
                  type="radio"
                  name={`recent-${kind}`}
                  className="visually-hidden"
                  checked={value?.id === asset.id}
                  onChange={() =>
                    onChange({
                      id: asset.id,
                      name: asset.name,
                      thumbnail: asset.urls.thumbnail,
                      original: asset.urls.original,
                    })
                  }
                />
                <img src={asset.urls.thumbnail} alt={asset.name} width={96} height={96} loading="lazy" />
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      {value ? (
        <p className="form-notice" data-testid={`chosen-${kind}`}>
          {t("workspace.chosen", { name: value.name })}
        </p>
      ) : null}
    </section>
  );
}
