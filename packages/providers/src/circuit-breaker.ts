// A circuit breaker as a pure function of recent attempt outcomes, so the caller can feed it
// from wherever attempts are recorded (the generation_attempts table) and every process that
// reads the same rows reaches the same answer. No timers, no shared memory.
import type { ProviderErrorKind } from "./adapter";

export type CircuitState = "closed" | "open" | "half_open";

export interface AttemptOutcome {
  /** When the attempt ended (ms since epoch). */
  at: number;
  /** "success", or the ProviderErrorKind it failed with. */
  outcome: "success" | ProviderErrorKind;
}

export interface CircuitBreakerOptions {
  /** Only attempts this recent count. Default 10 minutes. */
  windowMs?: number;
  /** At most the last N attempts in the window count. Default 20. */
  lastN?: number;
  /** Fewer counted attempts than this never open the circuit. Default 5. */
  minSamples?: number;
  /** Failure rate (0–1) at or above which the circuit opens. Default 0.5. */
  failureRateThreshold?: number;
  /** After the last failure, how long the circuit stays open before one probe is allowed. Default 60 s. */
  coolDownMs?: number;
}

export interface CircuitStatus {
  state: CircuitState;
  failureRate: number;
  samples: number;
  /** While open: when a probe will be allowed (ms since epoch). */
  retryAt?: number;
}

/**
 * What a recorded attempt (a generation_attempts row that ended) says to the breaker: routing and
 * the admin health page both read attempts through this, so they cannot disagree. A timeout is a
 * transient failure; a failure without a recorded kind is "unknown" (it counts).
 */
export function attemptOutcomeFromRecord(record: {
  outcome: string;
  error_kind: string | null;
}): AttemptOutcome["outcome"] {
  if (record.outcome === "succeeded") return "success";
  if (record.outcome === "timed_out") return "transient";
  return (record.error_kind ?? "unknown") as ProviderErrorKind;
}

/**
 * Whether an outcome says anything about the provider's health; those that do not neither open
 * nor close a circuit.
 */
export function countsForHealth(outcome: string): boolean {
  return !notAboutProviderHealth.has(outcome);
}

/**
 * The request's own problems (bad input, moderation), a provider asking us to slow down (429:
 * it is up, we are over our share), and our own faults (Postgres or storage down; an attempt
 * that never reached the provider because its circuit opened while it queued).
 */
const notAboutProviderHealth = new Set<string>([
  "invalid_input",
  "content_policy",
  "rate_limited",
  "infrastructure",
  "circuit_open",
]);

/**
 * closed: fewer than minSamples counted attempts in the window, or their failure rate is below
 * the threshold, or the latest counted attempt succeeded (a successful probe closes it).
 * open: the rate is at/over the threshold and the latest failure is within the cool-down.
 * half_open: the rate is at/over the threshold but the cool-down has passed: one probe may go.
 */
export function circuitStatus(
  outcomes: readonly AttemptOutcome[],
  nowMs: number,
  options: CircuitBreakerOptions = {},
): CircuitStatus {
  const windowMs = options.windowMs ?? 10 * 60 * 1000;
  const lastN = options.lastN ?? 20;
  const minSamples = options.minSamples ?? 5;
  const threshold = options.failureRateThreshold ?? 0.5;
  const coolDownMs = options.coolDownMs ?? 60 * 1000;

  const counted = outcomes
    .filter((o) => countsForHealth(o.outcome) && o.at <= nowMs && nowMs - o.at <= windowMs)
    .sort((a, b) => a.at - b.at)
    .slice(-lastN);
  const failures = counted.filter((o) => o.outcome !== "success");
  const samples = counted.length;
  const failureRate = samples === 0 ? 0 : failures.length / samples;
  const latest = counted[counted.length - 1];

  if (samples < minSamples || failureRate < threshold || latest?.outcome === "success") {
    return { state: "closed", failureRate, samples };
  }
  const lastFailureAt = failures[failures.length - 1]?.at ?? nowMs;
  const retryAt = lastFailureAt + coolDownMs;
  if (nowMs < retryAt) return { state: "open", failureRate, samples, retryAt };
  return { state: "half_open", failureRate, samples };
}

/** circuitStatus for every provider in a list of attempts (e.g. recent generation_attempts rows). */
export function circuitStatusByProvider(
  attempts: ReadonlyArray<AttemptOutcome & { provider: string }>,
  nowMs: number,
  options: CircuitBreakerOptions = {},
): Record<string, CircuitStatus> {
  const byProvider = new Map<string, AttemptOutcome[]>();
  for (const attempt of attempts) {
    const list = byProvider.get(attempt.provider) ?? [];
    list.push(attempt);
    byProvider.set(attempt.provider, list);
  }
  return Object.fromEntries(
    [...byProvider].map(([provider, outcomes]) => [provider, circuitStatus(outcomes, nowMs, options)]),
  );
}
