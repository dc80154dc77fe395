"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

const seconds = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);

/** Success rate as a bar (people compare lengths faster than percentages), circuits as badges. */
export function ProviderHealthTable() {
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.admin.providerHealth.queryOptions({ windowHours: 24 }), refetchInterval: 15_000 });
  if (health.error)
    return (
      <p className="form-alert" role="alert">
        {health.error.message}
      </p>
    );
  if (!health.data) return <p className="detail">Loading…</p>;
  return (
    <div className="admin-health">
      {/* On a phone the table scrolls inside its own box (keyboard too), never the page. */}
      <div className="table-scroll" role="region" aria-label="Provider health table" tabIndex={0}>
        <table className="health-table">
          <caption className="visually-hidden">Provider health over the last 24 hours</caption>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Attempts</th>
              <th scope="col">Success rate</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
              <th scope="col">Circuit</th>
            </tr>
          </thead>
          <tbody>
            {health.data.map((row) => (
              <tr key={row.provider} data-testid={`health-${row.provider}`}>
                <th scope="row">
                  {row.label}
                  {row.enabled ? null : <span className="detail"> · not configured</span>}
                </th>
                <td>{row.attempts}</td>
                <td>
                  {row.successRate === null ? (
                    "—"
                  ) : (
                    <span className="rate">
                      <span className="rate-bar" aria-hidden="true">
                        <span style={{ width: `${Math.round(row.successRate * 100)}%` }} />
                      </span>
                      {Math.round(row.successRate * 100)}%
                    </span>
                  )}
                </td>
                <td>{seconds(row.p50LatencyMs)}</td>
                <td>{seconds(row.p95LatencyMs)}</td>
                <td>
                  <span className={`badge ${row.circuit.state === "closed" ? "healthy" : "unhealthy"}`}>
                    {row.circuit.state === "closed" ? "Closed" : row.circuit.state === "open" ? "Open" : "Half-open"}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Recent errors</h2>
      <ul className="error-list">
        {health.data.flatMap((row) =>
          row.recentErrors.map((error) => (
            <li key={`${row.provider}-${error.generationId}-${error.at.getTime()}`}>
              <strong>{row.label}</strong> · {error.kind} · {error.at.toLocaleString()}
              {error.message ? <div className="detail">{error.message}</div> : null}
            </li>
          )),
        )}
        {health.data.every((row) => row.recentErrors.length === 0) ? (
          <li className="detail">No errors in this window.</li>
        ) : null}
      </ul>
    </div>
  );
}
