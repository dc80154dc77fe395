// Every fault class the issue lists, as a scenario: what runs, what breaks, for how long.
import type { ModelId } from "@animateimg/catalog";
import type { Fault, FakeProviderId } from "@animateimg/provider-fakes";
import type { ProviderRegistryConfig } from "@animateimg/providers";
import type { ChaosEnvironment } from "./chaos-environment";

export interface ScenarioContext {
  generationIds: string[];
  /** Resolves when `check` holds (polled), or after `timeoutMs` regardless. */
  until(check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Generations of this scenario in a status, with their progress. */
  rows(): Promise<Array<{ id: string; status: string; progress: number }>>;
  log(line: string): void;
  sleep(ms: number): Promise<void>;
}

export interface ChaosScenario {
  name: string;
  /** Upstream providers the workers enable (none: Animate only). */
  providers: string[];
  relativeCosts?: ProviderRegistryConfig["relativeCosts"];
  workers?: number;
  generations: Array<{ model: ModelId; count: number; params?: Record<string, unknown> }>;
  /** Faults switched on at the fakes before the generations are created. */
  providerFaults?: Array<{ provider: FakeProviderId; fault: Fault }>;
  /** The fault, run once generations are in flight; resolves when it is over (recovery starts). */
  fault?: (env: ChaosEnvironment, ctx: ScenarioContext) => Promise<void>;
  /** Creates happen while the fault is on (and again after it). */
  createsDuringFault?: boolean;
  /** Cancel each generation at a random moment (some in the last second). */
  randomCancels?: boolean;
  /** Every generation must be terminal this long after the fault ended. */
  boundMs: number;
  /** Failure reasons that are expected here (not "failed by an outage"). */
  allowedFailureReasons?: string[];
}

const running = async (ctx: ScenarioContext, atLeast = 1) =>
  ctx.until(
    async () => (await ctx.rows()).filter((r) => r.status === "running" && r.progress > 0).length >= atLeast,
    120_000,
  );

/** Renders long enough (4 s of 720p) that a fault lands mid-render on two cores. */
const longerRender = {
  durationSeconds: 4,
  resolution: "720p",
  aspectRatio: "16:9",
  cameraMove: "zoom_in",
  easing: "linear",
};

function postgresOutage(seconds: number): ChaosScenario {
  return {
    name: `postgres stopped ${seconds >= 60 ? `${seconds / 60} min` : `${seconds} s`}`,
    providers: ["kie", "fal"],
    generations: [
      { model: "animate", count: 3 },
      { model: "kling-3", count: 2 },
    ],
    fault: async (env, ctx) => {
      await running(ctx);
      ctx.log(`cutting Postgres for ${seconds} s`);
      await env.postgres.cut();
      await ctx.sleep(seconds * 1000);
      await env.postgres.restore();
    },
    boundMs: 180_000,
  };
}

/** 5xx, 429, hang and lost answers at submit and at poll, all on one provider family. */
function providerFamily(
  provider: FakeProviderId,
  model: ModelId,
  backup: string,
  relativeCosts?: ProviderRegistryConfig["relativeCosts"],
): ChaosScenario {
  const faults: Fault[] = [
    { kind: "lost_response", on: "submit", times: 1 },
    { kind: "server_error", on: "submit", times: 1 },
    { kind: "rate_limit", on: "submit", times: 1, retryAfterSeconds: 1 },
    { kind: "hang", on: "submit", times: 1 },
    { kind: "lost_response", on: "poll", times: 1 },
    { kind: "hang", on: "poll", times: 1 },
    { kind: "rate_limit", on: "poll", times: 2, retryAfterSeconds: 1 },
    { kind: "server_error", on: "poll", times: 2 },
  ];
  return {
    name: `provider faults: ${provider}`,
    providers: [provider, backup],
    ...(relativeCosts ? { relativeCosts } : {}),
    generations: [{ model, count: 6 }],
    providerFaults: faults.map((fault) => ({ provider, fault })),
    boundMs: 120_000,
  };
}

export const scenarios: Record<string, ChaosScenario> = {
  "worker-sigkill": {
    name: "worker SIGKILL",
    providers: [],
    generations: [{ model: "animate", count: 4, params: longerRender }],
    fault: async (env, ctx) => {
      await running(ctx);
      ctx.log("SIGKILL the worker mid-render; a new one starts");
      await env.workers[0]?.kill("SIGKILL");
      await env.startWorker([]);
    },
    boundMs: 120_000,
  },
  "two-workers-one-killed": {
    name: "two workers, one killed",
    providers: [],
    workers: 2,
    generations: [{ model: "animate", count: 4, params: longerRender }],
    fault: async (env, ctx) => {
      await running(ctx);
      ctx.log("SIGKILL one of two workers");
      await env.workers[0]?.kill("SIGKILL");
    },
    boundMs: 120_000,
  },
  "temporal-sigkill": {
    name: "Temporal SIGKILL + restart",
    providers: ["kie", "fal"],
    generations: [
      { model: "animate", count: 2 },
      { model: "kling-3", count: 2 },
    ],
    fault: async (env, ctx) => {
      await running(ctx);
      ctx.log("SIGKILL the Temporal server, restart it 5 s later");
      await env.temporal.kill();
      await ctx.sleep(5000);
      await env.temporal.restart();
    },
    boundMs: 180_000,
  },
  "temporal-paused": {
    name: "Temporal paused 15 s",
    providers: ["kie", "fal"],
    generations: [
      { model: "animate", count: 2 },
      { model: "kling-3", count: 2 },
    ],
    fault: async (env, ctx) => {
      await running(ctx);
      ctx.log("SIGSTOP the Temporal server for 15 s");
      env.temporal.pause();
      await ctx.sleep(15_000);
      env.temporal.resume();
    },
    boundMs: 180_000,
  },
  "postgres-10s": postgresOutage(10),
  "postgres-60s": postgresOutage(60),
  "postgres-5min": postgresOutage(300),
  "faults-kling": providerFamily("kling", "kling-3", "fal"),
  "faults-google": providerFamily("google", "veo-3.1", "fal"),
  "faults-bytedance": providerFamily("bytedance", "seedance-2", "fal"),
  "faults-kie": providerFamily("kie", "kling-3", "fal"),
  "faults-fal": providerFamily("fal", "kling-3", "replicate"),
  "faults-replicate": providerFamily("replicate", "kling-3", "fal", { replicate: { "kling-3": 0.5 } }),
  "kling-hung": {
    name: "Kling hung (burst of 10)",
    providers: ["kling", "fal"],
    generations: [{ model: "kling-3", count: 10 }],
    providerFaults: [{ provider: "kling", fault: { kind: "hang", on: "any" } }],
    boundMs: 180_000,
  },
  "random-cancels": {
    name: "cancels at random moments",
    providers: ["kie", "fal"],
    generations: [
      { model: "animate", count: 4 },
      { model: "kling-3", count: 3 },
    ],
    randomCancels: true,
    boundMs: 120_000,
  },
  "creates-temporal-down": {
    name: "creates during a Temporal outage",
    providers: [],
    generations: [{ model: "animate", count: 3 }],
    createsDuringFault: true,
    fault: async (env, ctx) => {
      ctx.log("SIGKILL the Temporal server; creates go on; restart it 20 s later");
      await env.temporal.kill();
      await ctx.sleep(20_000);
      await env.temporal.restart();
    },
    allowedFailureReasons: ["start_failed"],
    boundMs: 180_000,
  },
};

/** What `npm test` runs: one scenario per fault class that is quick on two cores. */
export const shortScenarioIds = ["postgres-10s", "faults-kie", "random-cancels"];
export const allScenarioIds = Object.keys(scenarios);
