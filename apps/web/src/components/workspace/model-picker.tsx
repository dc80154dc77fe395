"use client";

import { useT } from "~/i18n/i18n-provider";
import type { ModelId, ModelSummary } from "../activity/generation-types";

/**
 * Radio cards: one per model, with what it is good at, its limits and price range. A model
 * this server cannot run is shown (so people know it exists) but disabled, with the reason.
 */
export function ModelPicker({
  models,
  value,
  onChange,
  several,
}: {
  models: ModelSummary[];
  value: ModelId;
  onChange: (id: ModelId) => void;
  /** Compare mode: cards become checkboxes, up to `max`. */
  several?: { chosen: ModelId[]; onToggle: (id: ModelId) => void; max: number } | undefined;
}) {
  const { t, tc } = useT();
  const isChosen = (id: ModelId) => (several ? several.chosen.includes(id) : id === value);
  return (
    <fieldset className="model-picker">
      <legend className="step-title">
        {several ? t("batch.pickModels", { max: several.max }) : t("workspace.stepModel")}
      </legend>
      <div className="model-grid">
        {models.map((model) => (
          <label
            key={model.id}
            className={`model-card card${isChosen(model.id) ? " selected" : ""}${model.available ? "" : " unavailable"}`}
            data-testid={`model-${model.id}`}
          >
            <input
              type={several ? "checkbox" : "radio"}
              name="model"
              value={model.id}
              checked={isChosen(model.id)}
              disabled={
                !model.available ||
                (several !== undefined && !isChosen(model.id) && several.chosen.length >= several.max)
              }
              onChange={() => (several ? several.onToggle(model.id) : onChange(model.id))}
              className="model-radio"
            />
            <span className="model-name">{tc(model.label)}</span>
            <span className="model-tagline">{tc(model.tagline)}</span>
            <span className="model-section">{t("workspace.goodAt")}</span>
            <ul>
              {model.goodAt.map((line) => (
                <li key={line}>{tc(line)}</li>
              ))}
            </ul>
            <span className="model-section">{t("workspace.limits")}</span>
            <ul>
              {model.limits.map((line) => (
                <li key={line}>{tc(line)}</li>
              ))}
            </ul>
            <span className="model-price">
              {model.priceRange.min === model.priceRange.max
                ? t("workspace.priceExact", { min: model.priceRange.min })
                : t("workspace.priceRange", { min: model.priceRange.min, max: model.priceRange.max })}
            </span>
            {model.available ? null : <span className="model-unavailable">{t("workspace.notConfigured")}</span>}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
