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
  several,
}: {
  kind: "image" | "video";
  value: ChosenMedia | null;
  onChange: (media: ChosenMedia) => void;
  title: string;
  /** Batch mode: tiles become checkboxes and each upload joins the selection. */
  several?: { chosen: ChosenMedia[]; onToggle: (media: ChosenMedia) => void; max: number } | undefined;
}) {
  const { t } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const recent = useQuery(trpc.upload.list.queryOptions({ kind, limit: several ? 12 : 8 }));
  const isChosen = (id: string) => (several ? several.chosen.some((media) => media.id === id) : value?.id === id);
  const choose = several
    ? (media: ChosenMedia) => {
        if (isChosen(media.id) || several.chosen.length < several.max) several.onToggle(media);
      }
    : onChange;
  return (
    <section className="workspace-step" aria-labelledby={`step-${kind}`}>
      <h2 id={`step-${kind}`} className="step-title">
        {title}
      </h2>
      <Uploader
        kind={kind}
        onUploaded={(asset) => {
          const media = {
            id: asset.id,
            name: asset.name,
            thumbnail: asset.urls.thumbnail,
            original: asset.urls.original,
          };
          if (several) {
            if (!isChosen(media.id) && several.chosen.length < several.max) several.onToggle(media);
          } else onChange(media);
          void queryClient.invalidateQueries({ queryKey: trpc.upload.list.queryKey() });
        }}
      />
      {recent.data && recent.data.items.length > 0 ? (
        <fieldset className="recent-photos">
          <legend className="field-label">
            {several ? t("batch.pickPhotos", { max: several.max }) : t("workspace.recentUploads")}
          </legend>
          <div className="recent-grid">
            {recent.data.items.map((asset) => (
              <label key={asset.id} className={`recent-tile${isChosen(asset.id) ? " selected" : ""}`}>
                <input
                  type={several ? "checkbox" : "radio"}
                  name={`recent-${kind}`}
                  className="visually-hidden"
                  checked={isChosen(asset.id)}
                  data-testid="recent-photo"
                  onChange={() =>
                    choose({
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
      {several ? (
        <p className="form-notice" data-testid={`chosen-${kind}s`} aria-live="polite">
          {t("batch.photosChosen", { count: several.chosen.length, max: several.max })}
        </p>
      ) : value ? (
        <p className="form-notice" data-testid={`chosen-${kind}`}>
          {t("workspace.chosen", { name: value.name })}
        </p>
      ) : null}
    </section>
  );
}
