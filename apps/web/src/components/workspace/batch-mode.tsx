"use client";

import { useT } from "~/i18n/i18n-provider";

export type BatchMode = "single" | "models" | "photos";
export const maxComparedModels = 4;
export const maxBatchPhotos = 8;

const modes: { value: BatchMode; label: "batch.single" | "batch.models" | "batch.photos" }[] = [
  { value: "single", label: "batch.single" },
  { value: "models", label: "batch.models" },
  { value: "photos", label: "batch.photos" },
];

/** One video, the same photo on up to four models, or one model over several photos. */
export function BatchModeSwitch({ value, onChange }: { value: BatchMode; onChange: (mode: BatchMode) => void }) {
  const { t } = useT();
  return (
    <fieldset className="batch-mode">
      <legend className="field-label">{t("batch.legend")}</legend>
      <div className="segmented">
        {modes.map((mode) => (
          <label key={mode.value} className={value === mode.value ? "selected" : undefined}>
            <input
              type="radio"
              name="batch-mode"
              value={mode.value}
              checked={value === mode.value}
              onChange={() => onChange(mode.value)}
              data-testid={`mode-${mode.value}`}
            />
            <span>{t(mode.label, { max: mode.value === "models" ? maxComparedModels : maxBatchPhotos })}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
