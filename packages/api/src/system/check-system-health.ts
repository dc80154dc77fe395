import { connect } from "node:net";
import { sql, type Db } from "@animateimg/db";
import type { Orchestrator } from "@animateimg/workflows/orchestrator";

export type ComponentState = "healthy" | "unhealthy";

export interface ComponentHealth {
  state: ComponentState;
  latencyMs: number;
  /** What a person would need to fix it, when unhealthy. */
  detail: string | null;
}

export interface SystemHealth {
  status: ComponentState;
  checkedAt: Date;
  postgres: ComponentHealth;
  temporal: ComponentHealth;
  worker: ComponentHealth & { identity: string | null };
}

export interface CheckSystemHealthOptions {
  db: Db;
  /** Lazily connects: a Temporal that is down must not stop the Postgres check. */
  orchestrator: Pick<Orchestrator, "health">;
  /** host:port of Temporal, to tell a refused connection from a server that does not answer. */
  temporalAddress?: string | undefined;
  /** The worker round-trip must finish within this. */
  timeoutMs?: number;
}

async function timed<T>(
  work: () => Promise<T>,
): Promise<{ ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await work();
    return { ok: true, value, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, error, ms: Math.round(performance.now() - started) };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What a plain TCP connection to host:port says: someone listens, nobody does, or silence. */
function probeTcp(address: string, timeoutMs: number): Promise<"open" | "refused" | "silent" | "unresolved"> {
  const index = address.lastIndexOf(":");
  const host = address.slice(0, index).replace(/^\[|\]$/g, "");
  const port = Number(address.slice(index + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: "open" | "refused" | "silent" | "unresolved") => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done("silent"));
    socket.once("connect", () => done("open"));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      done(
        error.code === "ECONNREFUSED"
          ? "refused"
          : error.code === "ENOTFOUND" || error.code === "EAI_AGAIN"
            ? "unresolved"
            : "silent",
      ),
    );
  });
}

/** Why Temporal failed, in words that point at the real cause (refused is not slow). */
async function describeTemporalFailure(
  error: unknown,
  address: string | undefined,
  timeoutMs: number,
): Promise<string> {
  const text = message(error);
  if (!address) return /ECONNREFUSED/.test(text) ? "Temporal refused the connection. Is it running?" : text;
  switch (await probeTcp(address, Math.min(timeoutMs, 2000))) {
    case "refused":
      return `Temporal refused the connection at ${address}: nothing is listening there. Is it running?`;
    case "unresolved":
      return `The Temporal address ${address} does not resolve. Check TEMPORAL_ADDRESS.`;
    case "silent":
      return `Temporal at ${address} did not accept a connection within ${Math.min(timeoutMs, 2000)} ms (network or firewall).`;
    case "open":
      return `Temporal at ${address} accepts connections but did not answer: ${text}`;
  }
}

/**
 * Checks each part for real: a query on Postgres, a namespace lookup on Temporal, and a
 * workflow that must be picked up and run by a worker on the app's task queue (the last two
 * through the orchestrator, which bounds each by `timeoutMs`).
 */
export async function checkSystemHealth(options: CheckSystemHealthOptions): Promise<SystemHealth> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const [postgres, temporalResult] = await Promise.all([
    timed(() => withTimeout(sql`select 1 as ok`.execute(options.db), timeoutMs, "Postgres")),
    timed(() => options.orchestrator.health.ping({ timeoutMs })),
  ]);

  let worker: SystemHealth["worker"];
  if (temporalResult.ok) {
    const roundTrip = await timed(() => options.orchestrator.health.checkWorker({ timeoutMs }));
    const workerDb = roundTrip.ok ? roundTrip.value.database : undefined;
    worker = !roundTrip.ok
      ? {
          state: "unhealthy",
          latencyMs: roundTrip.ms,
          detail: `${message(roundTrip.error)}. Is the worker running (pnpm --filter @animateimg/worker start)?`,
          identity: null,
        }
      : workerDb && !workerDb.ok
        ? {
            state: "unhealthy",
            latencyMs: roundTrip.ms,
            detail: `The worker cannot reach Postgres (${workerDb.error ?? "no answer"}): every render would fail or wait.`,
            identity: roundTrip.value.workerIdentity,
          }
        : { state: "healthy", latencyMs: roundTrip.ms, detail: null, identity: roundTrip.value.workerIdentity };
  } else {
    worker = {
      state: "unhealthy",
      latencyMs: 0,
      detail: "Temporal is unreachable, so no worker can be reached.",
      identity: null,
    };
  }

  const temporalDetail = temporalResult.ok
    ? null
    : await describeTemporalFailure(temporalResult.error, options.temporalAddress, timeoutMs);
  const parts = {
    postgres: postgres.ok
      ? { state: "healthy" as const, latencyMs: postgres.ms, detail: null }
      : { state: "unhealthy" as const, latencyMs: postgres.ms, detail: message(postgres.error) },
    temporal: temporalResult.ok
      ? { state: "healthy" as const, latencyMs: temporalResult.ms, detail: null }
      : { state: "unhealthy" as const, latencyMs: temporalResult.ms, detail: temporalDetail },
    worker,
  };
  const allHealthy = Object.values(parts).every((part) => part.state === "healthy");
  return { status: allHealthy ? "healthy" : "unhealthy", checkedAt: new Date(), ...parts };
}

/** What anyone may see: the state and latency of each part, no reasons, hosts or process ids. */
export interface PublicSystemHealth {
  status: ComponentState;
  checkedAt: Date;
  postgres: { state: ComponentState; latencyMs: number };
  temporal: { state: ComponentState; latencyMs: number };
  worker: { state: ComponentState; latencyMs: number };
}

export function toPublicHealth(health: SystemHealth): PublicSystemHealth {
  const part = ({ state, latencyMs }: ComponentHealth) => ({ state, latencyMs });
  return {
    status: health.status,
    checkedAt: health.checkedAt,
    postgres: part(health.postgres),
    temporal: part(health.temporal),
    worker: part(health.worker),
  };
}

export interface HealthMonitor {
  /** The latest check if younger than the cache's age, else one new check shared by every caller. */
  current(): Promise<SystemHealth>;
}

/**
 * Health checks are not free (the worker check starts a workflow), and `system.health` is
 * public: at most one check runs at a time and its answer is reused for `maxAgeMs`, whoever
 * asks and however many calls a batched request carries.
 */
export function createHealthMonitor(options: CheckSystemHealthOptions & { maxAgeMs?: number }): HealthMonitor {
  const maxAgeMs = options.maxAgeMs ?? 5000;
  let latest: { health: SystemHealth; at: number } | undefined;
  let inFlight: Promise<SystemHealth> | undefined;
  return {
    current() {
      if (latest && performance.now() - latest.at < maxAgeMs) return Promise.resolve(latest.health);
      inFlight ??= checkSystemHealth(options)
        .then((health) => {
          latest = { health, at: performance.now() };
          return health;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
  };
}
