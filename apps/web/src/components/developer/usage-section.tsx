"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { FormAlert } from "../auth/form-feedback";

const PERIODS = [7, 30, 90] as const;

/** Credits per day as SVG bars (no chart library): one bar per day, its value in a tooltip and in the table below. */
function DailyBars({ days, label }: { days: Array<{ day: string; credits: number }>; label: string }) {
  const width = 600;
  const height = 140;
  const max = Math.max(1, ...days.map((d) => d.credits));
  const slot = width / Math.max(days.length, 1);
  const bar = Math.max(1, slot * 0.7);
  return (
    <svg
      className="usage-chart"
      viewBox={`0 0 ${width} ${height + 18}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <line x1={0} y1={height} x2={width} y2={height} className="usage-axis" />
      {days.map((d, index) => {
        const h = (d.credits / max) * (height - 6);
        return (
          <rect
            key={d.day}
            x={index * slot + (slot - bar) / 2}
            y={height - h}
            width={bar}
            height={h}
            className="usage-bar"
            data-day={d.day}
          >
            <title>{`${d.day}: ${d.credits}`}</title>
          </rect>
        );
      })}
      <text x={0} y={height + 14} className="usage-tick">
        {days[0]?.day}
      </text>
      <text x={width} y={height + 14} textAnchor="end" className="usage-tick">
        {days.at(-1)?.day}
      </text>
      <text x={0} y={10} className="usage-tick">
        {max}
      </text>
    </svg>
  );
}

/** Settings → Usage: credits spent per day, per model and per API key. */
export function UsageSection() {
  const { t } = useT();
  const trpc = useTRPC();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const usage = useQuery(trpc.webhook.usage.queryOptions({ days }));
  if (usage.error) return <FormAlert error={usage.error} />;
  const data = usage.data;
  return (
    <div className="settings-stack" data-testid="usage">
      <p className="detail">{t("usage.lede")}</p>
      <div className="segmented" role="group" aria-label={t("usage.period")}>
        {PERIODS.map((period) => (
          <button key={period} type="button" aria-pressed={days === period} onClick={() => setDays(period)}>
            {t("usage.days", { count: period })}
          </button>
        ))}
      </div>
      {!data ? (
        <p className="detail">{t("common.loading")}</p>
      ) : (
        <>
          <p>
            <strong data-testid="usage-total">
              {t("usage.total", { credits: data.total.credits, generations: data.total.generations })}
            </strong>
          </p>
          <DailyBars days={data.perDay} label={t("usage.chartLabel", { from: data.from, to: data.to })} />
          <h3>{t("usage.perModel")}</h3>
          <UsageTable
            rows={data.perModel.map((row) => ({
              key: row.modelId,
              label: row.modelId,
              credits: row.credits,
              generations: row.generations,
            }))}
            empty={t("usage.none")}
          />
          <h3>{t("usage.perKey")}</h3>
          <UsageTable
            rows={data.perKey.map((row) => ({
              key: row.apiKeyId ?? "web",
              label: row.apiKeyId
                ? `${row.name ?? row.apiKeyId}${row.revoked ? ` (${t("developer.revoked")})` : ""}`
                : t("usage.webApp"),
              credits: row.credits,
              generations: row.generations,
            }))}
            empty={t("usage.none")}
          />
          <details>
            <summary>{t("usage.perDay")}</summary>
            <UsageTable
              rows={data.perDay
                .filter((row) => row.generations > 0)
                .map((row) => ({ key: row.day, label: row.day, credits: row.credits, generations: row.generations }))}
              empty={t("usage.none")}
            />
          </details>
        </>
      )}
    </div>
  );
}

function UsageTable({
  rows,
  empty,
}: {
  rows: Array<{ key: string; label: string; credits: number; generations: number }>;
  empty: string;
}) {
  const { t } = useT();
  if (rows.length === 0) return <p className="detail">{empty}</p>;
  return (
    <table className="usage-table">
      <thead>
        <tr>
          <th>{t("usage.name")}</th>
          <th>{t("usage.generations")}</th>
          <th>{t("usage.credits")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <td>{row.label}</td>
            <td>{row.generations}</td>
            <td>{row.credits}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
