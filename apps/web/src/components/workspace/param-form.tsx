"use client";

import { useId } from "react";
import type { FieldSpec } from "@animateimg/catalog";
import { useT } from "~/i18n/i18n-provider";

export type Params = Record<string, unknown>;

/**
 * The model's parameter form, generated from the field specs the catalog keeps beside each
 * parameter schema. Values keep their schema type (numbers stay numbers), so what the form
 * sends is what the schema parses.
 */
export function ParamForm({
  fields,
  values,
  onChange,
  errors,
}: {
  fields: FieldSpec[];
  values: Params;
  onChange: (next: Params) => void;
  errors: Record<string, string[] | undefined> | null;
}) {
  const { t } = useT();
  const set = (key: string, value: unknown) => {
    const next = { ...values };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <fieldset className="param-form">
      <legend className="step-title">{t("workspace.stepSettings")}</legend>
      <div className="param-grid">
        {fields.map((field) => (
          <ParamField
            key={field.key}
            field={field}
            value={values[field.key]}
            onChange={(value) => set(field.key, value)}
            error={errors?.[field.key]?.[0]}
          />
        ))}
      </div>
    </fieldset>
  );
}

function ParamField({
  field,
  value,
  onChange,
  error,
}: {
  field: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  error: string | undefined;
}) {
  const { t, tc } = useT();
  const id = useId();
  const hintId = `${id}-hint`;
  const describedBy = field.help || error ? hintId : undefined;
  const hint = (
    <>
      {field.help ? (
        <span id={hintId} className="field-hint">
          {tc(field.help)}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );

  switch (field.control) {
    case "select": {
      const current = field.options.findIndex((option) => option.value === value);
      return (
        <div className="field">
          <label htmlFor={id} className="field-label">
            {tc(field.label)}
          </label>
          <select
            id={id}
            value={current}
            aria-describedby={describedBy}
            onChange={(event) => onChange(field.options[Number(event.target.value)]?.value)}
            data-testid={`param-${field.key}`}
          >
            {field.options.map((option, index) => (
              <option key={String(option.value)} value={index}>
                {tc(option.label)}
              </option>
            ))}
          </select>
          {hint}
        </div>
      );
    }
    case "slider": {
      const number = typeof value === "number" ? value : field.min;
      return (
        <div className="field">
          <label htmlFor={id} className="field-label">
            {tc(field.label)}: <output htmlFor={id}>{`${number}${field.unit ? ` ${field.unit}` : ""}`}</output>
          </label>
          <input
            id={id}
            type="range"
            min={field.min}
            max={field.max}
            step={field.step}
            value={number}
            aria-describedby={describedBy}
            onChange={(event) => onChange(Number(event.target.value))}
            data-testid={`param-${field.key}`}
          />
          {hint}
        </div>
      );
    }
    case "toggle":
      return (
        <div className="field">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={value === true}
              aria-describedby={describedBy}
              onChange={(event) => onChange(event.target.checked)}
              data-testid={`param-${field.key}`}
            />
            <span className="field-label">{tc(field.label)}</span>
          </label>
          {hint}
        </div>
      );
    case "number":
      return (
        <div className="field">
          <label htmlFor={id} className="field-label">
            {tc(field.label)} <span className="field-hint">({t("workspace.optional")})</span>
          </label>
          <input
            id={id}
            type="number"
            inputMode="numeric"
            min={field.min}
            max={field.max}
            value={typeof value === "number" ? value : ""}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
            onChange={(event) => onChange(event.target.value === "" ? undefined : Number(event.target.value))}
          />
          {hint}
        </div>
      );
    case "text":
      return (
        <div className="field">
          <label htmlFor={id} className="field-label">
            {tc(field.label)} <span className="field-hint">({t("workspace.optional")})</span>
          </label>
          <input
            id={id}
            type="text"
            maxLength={field.maxLength}
            value={typeof value === "string" ? value : ""}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
            onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value)}
          />
          {hint}
        </div>
      );
  }
}
