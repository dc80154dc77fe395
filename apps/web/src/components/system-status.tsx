"use client";

import { useQuery } from "@tanstack/react-query";
import type { ComponentHealth } from "@animateimg/api";
import { useTRPC } from "~/trpc/react";

const parts = [
  { key: "postgres", label: "Database (Postgres)" },
  { key: "temporal", label: "Workflow engine (Temporal)" },
  { key: "worker", label: "Worker" },
] as const;

function Part({ label, health }: { label: string; health: ComponentHealth | undefined }) {
  const state = health?.state ?? "checking";
  return (
    <div className="card status-item" data-testid={`status-${label}`}>
      <span className="name">{label}</span>
      <span className={`badge ${state}`}>
        {state === "checking" ? "Checking…" : state === "healthy" ? "Healthy" : "Unavailable"}
        {health ? ` · ${health.latencyMs} ms` : ""}
      </span>
      {health?.detail ? <span className="detail">{health.detail}</span> : null}
    </div>
  );
}

/** The walking skeleton's proof of life: every layer, checked for real, refreshed every 15 s. */
export function SystemStatus() {
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.system.health.queryOptions(), refetchInterval: 15_000, staleTime: 0 });
  return (
    <section className="card" aria-labelledby="status-heading" aria-busy={health.isFetching}>
      <div className="row">
        <h2 id="status-heading" style={{ margin: 0, fontSize: "1.15rem" }}>
          System status{" "}
          {health.data ? (
            <span className={`badge ${health.data.status}`} data-testid="overall-status">
              {health.data.status === "healthy" ? "All systems healthy" : "Degraded"}
            </span>
          ) : null}
        </h2>
        <button type="button" onClick={() => void health.refetch()} disabled={health.isFetching}>
          {health.isFetching ? "Checking…" : "Check again"}
        </button>
      </div>
      {health.error ? (
        <p className="detail" role="alert">
          Could not reach the server: {health.error.message}
        </p>
      ) : null}
      <div className="status-grid">
        {parts.map((part) => (
          <Part key={part.key} label={part.label} health={health.data?.[part.key]} />
        ))}
      </div>
      {health.data ? (
        <p className="detail" style={{ marginBottom: 0 }}>
          Last checked {health.data.checkedAt.toLocaleTimeString()}
          {health.data.worker.identity ? ` · answered by ${health.data.worker.identity}` : ""}
        </p>
      ) : null}
    </section>
  );
}
