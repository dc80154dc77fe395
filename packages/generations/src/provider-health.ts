import {
  attemptOutcomeFromRecord,
  circuitStatusByProvider,
  countsForHealth,
  type CircuitStatus,
} from "@animateimg/providers";
import type { Db, Executor } from "@animateimg/db";

export interface ProviderHealthRow {
  provider: string;
  enabled: boolean;
  attempts: number;
  succeeded: number;
  /** Of attempts that say something about the provider (not the user's bad input). */
  successRate: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  circuit: CircuitStatus;
  recentErrors: Array<{ at: Date; kind: string; message: string | null; generationId: string }>;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/**
 * Health of every route over a window, from the attempts the workflows record: the same rows
 * the circuit breaker reads, so what the admin sees is what routing does.
 */
export async function getProviderHealth(
  db: Db,
  options: { providers: string[]; enabled: ReadonlySet<string>; windowMs?: number; now?: Date },
): Promise<ProviderHealthRow[]> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.windowMs ?? 24 * 3600_000));
  const rows = await db
    .selectFrom("generation_attempts")
    .select(["provider", "outcome", "error_kind", "error_message", "latency_ms", "finished_at", "generation_id"])
    .where("finished_at", ">=", since)
    .orderBy("finished_at", "desc")
    .execute();
  const outcomes = rows
    .filter((r) => r.outcome !== "canceled" && r.outcome !== "running")
    .map((r) => ({
      provider: r.provider,
      at: r.finished_at!.getTime(),
      outcome: attemptOutcomeFromRecord(r),
    }));
  const circuits = circuitStatusByProvider(
    outcomes.filter((o) => countsForHealth(o.outcome)),
    now.getTime(),
  );
  return options.providers.map((provider) => {
    const mine = rows.filter((r) => r.provider === provider && r.outcome !== "running");
    const counted = outcomes.filter((o) => o.provider === provider && countsForHealth(o.outcome));
    const latencies = mine
      .filter((r) => r.outcome === "succeeded" && r.latency_ms !== null)
      .map((r) => r.latency_ms!)
      .sort((a, b) => a - b);
    const succeeded = mine.filter((r) => r.outcome === "succeeded").length;
    return {
      provider,
      enabled: provider === "local" || options.enabled.has(provider),
      attempts: mine.length,
      succeeded,
      successRate: counted.length === 0 ? null : counted.filter((o) => o.outcome === "success").length / counted.length,
      p50LatencyMs: quantile(latencies, 0.5),
      p95LatencyMs: quantile(latencies, 0.95),
      circuit: circuits[provider] ?? { state: "closed", failureRate: 0, samples: 0 },
      recentErrors: mine
        .filter((r) => r.outcome === "failed" || r.outcome === "timed_out")
        .slice(0, 10)
        .map((r) => ({
          at: r.finished_at!,
          kind: r.error_kind ?? r.outcome,
          message: r.error_message,
          generationId: r.generation_id,
        })),
    };
  });
}

/**
 * Circuit state of every provider from the last 10 minutes of finished attempts (at most the
 * 500 newest): what routing consults before sending a job to a provider.
 */
export async function getProviderCircuits(db: Executor): Promise<Record<string, CircuitStatus>> {
  const since = new Date(Date.now() - 10 * 60_000);
  const recent = await db
    .selectFrom("generation_attempts")
    .select(["provider", "outcome", "error_kind", "finished_at"])
    .where("finished_at", ">=", since)
    .where("outcome", "in", ["succeeded", "failed", "timed_out"])
    .orderBy("finished_at", "desc")
    .limit(500)
    .execute();
  const outcomes = recent.map((a) => ({
    provider: a.provider,
    at: a.finished_at!.getTime(),
    outcome: attemptOutcomeFromRecord(a),
  }));
  return circuitStatusByProvider(
    outcomes.filter((o) => countsForHealth(o.outcome)),
    Date.now(),
  );
}
