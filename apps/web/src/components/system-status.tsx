"use client";

import { useQuery } from "@tanstack/react-query";
import type { ComponentHealth } from "@animateimg/api";
import { useT } from "~/i18n/i18n-provider";
import type { MessageKey } from "~/i18n/translate";
import { useTRPC } from "~/trpc/react";

const parts: Array<{ key: "postgres" | "temporal" | "worker"; label: MessageKey }> = [
  { key: "postgres", label: "health.postgres" },
  { key: "temporal", label: "health.temporal" },
  { key: "worker", label: "health.worker" },
];

type PartHealth = Pick<ComponentHealth, "state" | "latencyMs"> & { detail?: string | null };

function Part({ label, testId, health }: { label: string; testId: string; health: PartHealth | undefined }) {
  const { t } = useT();
  const state = health?.state ?? "checking";
  return (
    <div className="card status-item" data-testid={`status-${testId}`}>
      <span className="name">{label}</span>
      <span className={`badge ${state}`}>
        {state === "checking"
          ? t("health.checking")
          : state === "healthy"
            ? t("health.healthy")
            : t("health.unavailable")}
        {health ? ` · ${health.latencyMs} ms` : ""}
      </span>
      {health?.detail ? <span className="detail">{health.detail}</span> : null}
    </div>
  );
}

/**
 * The walking skeleton's proof of life: every layer, checked for real, refreshed every 15 s.
 * Everyone sees each part's state; administrators also see what is wrong and which worker answered.
 */
export function SystemStatus({ details = false }: { details?: boolean }) {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const summary = useQuery({
    ...trpc.system.health.queryOptions(),
    refetchInterval: 15_000,
    staleTime: 0,
    enabled: !details,
  });
  const detailed = useQuery({
    ...trpc.system.healthDetails.queryOptions(),
    refetchInterval: 15_000,
    staleTime: 0,
    enabled: details,
  });
  const health = details ? detailed : summary;
  const identity = details ? detailed.data?.worker.identity : null;
  return (
    <section className="card" aria-labelledby="status-heading" aria-busy={health.isFetching}>
      <div className="row">
        <h2 id="status-heading" style={{ margin: 0, fontSize: "1.15rem" }}>
          {t("status.title")}{" "}
          {health.data ? (
            <span className={`badge ${health.data.status}`} data-testid="overall-status">
              {health.data.status === "healthy" ? t("health.allHealthy") : t("health.degraded")}
            </span>
          ) : null}
        </h2>
        <button type="button" onClick={() => void health.refetch()} disabled={health.isFetching}>
          {health.isFetching ? t("health.checking") : t("health.checkAgain")}
        </button>
      </div>
      {health.error ? (
        <p className="detail" role="alert">
          {t("health.unreachable", { message: health.error.message })}
        </p>
      ) : null}
      <div className="status-grid">
        {parts.map((part) => (
          <Part key={part.key} label={t(part.label)} testId={part.key} health={health.data?.[part.key]} />
        ))}
      </div>
      {health.data ? (
        <p className="detail" style={{ marginBottom: 0 }}>
          {t("health.lastChecked", { time: health.data.checkedAt.toLocaleTimeString(locale) })}
          {identity ? ` · ${t("health.answeredBy", { identity })}` : ""}
        </p>
      ) : null}
    </section>
  );
}

/**
 * One line for the landing page: every part checked once per visit (no refresh timer — a
 * public page must not start a health workflow every 15 s per visitor), linking to /status.
 */
export function SystemStatusLine() {
  const { t } = useT();
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.system.health.queryOptions(), staleTime: 60_000 });
  const data = health.data;
  return (
    <p className="status-line" data-testid="status-line" aria-live="polite">
      <a href="/status">{t("status.title")}</a>:{" "}
      {data ? (
        <span className={`badge ${data.status}`} data-testid="overall-status">
          {data.status === "healthy" ? t("health.allHealthy") : t("health.degraded")}
        </span>
      ) : health.error ? (
        <span className="badge unhealthy">{t("health.unavailable")}</span>
      ) : (
        <span className="badge checking">{t("health.checking")}</span>
      )}
      {data
        ? parts.map((part) => (
            <span key={part.key} className="detail">
              {" "}
              · {t(part.label)} {data[part.key].latencyMs} ms
            </span>
          ))
        : null}
    </p>
  );
}
