// Runs scenarios against one chaos environment and prints the table the README states targets for.
import { randomUUID } from "node:crypto";
import { grantCredits } from "@animateimg/billing";
import { getModel, parseModelParams, type ModelId } from "@animateimg/catalog";
import { isAppError } from "@animateimg/core";
import { cancelGeneration, createDbAssetLookup, createGeneration } from "@animateimg/generations";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";
import { auditScenario, type AuditResult } from "./chaos-audit";
import type { ChaosEnvironment } from "./chaos-environment";
import type { ChaosScenario, ScenarioContext } from "./chaos-scenarios";

export interface ScenarioOutcome extends AuditResult {
  scenario: string;
  /** Creates refused at once (Temporal unreachable): the person was told, nothing charged. */
  refusedCreates: number;
  /** From the end of the fault (or the last create) until every generation was terminal. */
  recoverySeconds: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const paramsFor: Partial<Record<ModelId, Record<string, unknown>>> = {
  animate: { durationSeconds: 2, resolution: "480p", aspectRatio: "16:9", cameraMove: "zoom_in", easing: "linear" },
  "kling-3": { durationSeconds: 5, mode: "std" },
};

async function photoAsset(env: ChaosEnvironment, userId: string): Promise<string> {
  const response = await fetch(env.fakes.mediaUrl("photo.png"));
  const stored = await env.blobStore.put(new Uint8Array(await response.arrayBuffer()), { contentType: "image/png" });
  const { id } = await env.auditDb
    .insertInto("assets")
    .values({
      user_id: userId,
      kind: "image",
      mime: "image/png",
      original_name: "photo.png",
      width: 64,
      height: 64,
      duration_ms: null,
      bytes: stored.bytes,
      sha256: "0".repeat(64),
      storage_driver: env.blobStore.driver,
      original_key: stored.key,
      thumbnail_key: stored.key,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function runScenario(
  env: ChaosEnvironment,
  scenario: ChaosScenario,
  log: (line: string) => void,
): Promise<ScenarioOutcome> {
  const say = (line: string) => log(`[${scenario.name}] ${line}`);
  // Workers with this scenario's providers; faults from the previous scenario cleared.
  env.fakes.control.clearFaults();
  await env.stopWorkers();
  for (let i = 0; i < (scenario.workers ?? 1); i++) await env.startWorker(scenario.providers, scenario.relativeCosts);
  // The circuit breaker reads recent attempts: a scenario starts with healthy providers.
  await env.auditDb
    .updateTable("generation_attempts")
    .set({ finished_at: new Date(Date.now() - 3600_000) })
    .where("finished_at", "is not", null)
    .execute();
  for (const { provider, fault } of scenario.providerFaults ?? [])
    env.fakes.control.injectFault(provider, { ...fault });

  const { id: userId } = await env.auditDb
    .insertInto("users")
    .values({ email: `${randomUUID()}@chaos.test`, name: "Chaos", email_verified_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await grantCredits(env.auditDb, {
    userId,
    amount: 10_000,
    kind: "grant",
    idempotencyKey: `chaos:${userId}`,
    reason: "chaos",
  });
  const imageAssetId = await photoAsset(env, userId);
  const generationIds: string[] = [];
  let refusedCreates = 0;

  const createOne = async (model: ModelId, params?: Record<string, unknown>) => {
    try {
      // As the web side does it: the Temporal client first, then the create.
      const client = await env.client.get();
      const orchestrator = createOrchestrator({
        client,
        taskQueue: env.taskQueue,
        timeouts: env.timeouts,
        startTimeoutMs: 5000,
      }).generations;
      const parsed = parseModelParams(model, params ?? paramsFor[model] ?? {});
      const { generation } = await createGeneration(
        env.appDb,
        {
          userId,
          modelId: model,
          prompt: `${getModel(model).label} chaos`,
          params: parsed.ok ? parsed.params : {},
          imageAssetId,
          private: true,
          idempotencyKey: randomUUID(),
        },
        { orchestrator, findOwnedAssets: createDbAssetLookup(env.appDb) },
      );
      generationIds.push(generation.id);
    } catch (error) {
      refusedCreates += 1;
      // A refused create may still have written its row (failed, start_failed): audit it too.
      const rows = await env.auditDb.selectFrom("generations").select("id").where("user_id", "=", userId).execute();
      for (const row of rows) if (!generationIds.includes(row.id)) generationIds.push(row.id);
      say(
        `create refused: ${isAppError(error) ? `${error.code} ${error.reason ?? ""}` : error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  const createAll = async () => {
    for (const { model, count, params } of scenario.generations)
      for (let i = 0; i < count; i++) await createOne(model, params);
  };

  const ctx: ScenarioContext = {
    generationIds,
    log: say,
    sleep,
    rows: async () =>
      generationIds.length === 0
        ? []
        : env.auditDb
            .selectFrom("generations")
            .select(["id", "status", "progress"])
            .where("id", "in", generationIds)
            .execute(),
    until: async (check, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && !(await check().catch(() => false))) await sleep(200);
    },
  };

  let faultEndedAt: number;
  if (scenario.createsDuringFault && scenario.fault) {
    const fault = scenario.fault(env, ctx);
    await sleep(1000);
    await createAll();
    await fault;
    faultEndedAt = Date.now();
    // After the outage: creates work again within seconds (the client reconnects).
    await ctx.until(async () => {
      const before = generationIds.length - refusedCreates;
      await createOne("animate");
      return generationIds.length - refusedCreates > before;
    }, 60_000);
    say(`first create accepted ${((Date.now() - faultEndedAt) / 1000).toFixed(1)} s after Temporal came back`);
  } else {
    await createAll();
    faultEndedAt = Date.now();
    if (scenario.fault) {
      await scenario.fault(env, ctx);
      faultEndedAt = Date.now();
    }
  }
  if (scenario.randomCancels) await cancelAtRandom(env, ctx, userId);

  await ctx.until(
    async () => (await ctx.rows()).every((r) => r.status !== "queued" && r.status !== "running"),
    scenario.boundMs,
  );
  const finishedAt = Date.now();
  // A workflow may take a moment to close after it marked its row.
  const client = await env.client.get();
  await sleep(2000);
  const audit = await auditScenario({
    db: env.auditDb,
    client,
    fakes: env.fakes,
    blobRoot: env.blobRoot,
    generationIds,
    allowedFailureReasons: scenario.allowedFailureReasons ?? [],
  });
  env.fakes.control.clearFaults();
  return {
    scenario: scenario.name,
    refusedCreates,
    recoverySeconds: Math.max(0, (finishedAt - faultEndedAt) / 1000),
    ...audit,
  };
}

/** Cancels every generation of the scenario: some at once, some mid-run, some in their last second. */
async function cancelAtRandom(env: ChaosEnvironment, ctx: ScenarioContext, userId: string) {
  const client = await env.client.get();
  const orchestrator = createOrchestrator({ client, taskQueue: env.taskQueue, timeouts: env.timeouts }).generations;
  await Promise.all(
    ctx.generationIds.map(async (generationId, index) => {
      const mode = index % 3; // 0: early, 1: mid-run, 2: as late as we can catch it
      if (mode === 0) await sleep(Math.random() * 1500);
      else if (mode === 1) await sleep(1500 + Math.random() * 4000);
      else
        await ctx.until(async () => {
          const row = (await ctx.rows()).find((r) => r.id === generationId);
          return !row || row.status === "succeeded" || row.progress >= 0.9;
        }, 120_000);
      await cancelGeneration(env.appDb, { userId, generationId }, orchestrator).catch(() => undefined);
    }),
  );
}

export const targets =
  "targets: 0 stuck, 0 lost, 0 double charges, 0 unrefunded, 0 untracked provider jobs, 0 free outputs, 0 orphan blobs, 0 generations failed by an infrastructure outage up to 5 minutes, for every scenario";

export function formatTable(outcomes: ScenarioOutcome[]): string {
  const header = [
    "scenario",
    "started",
    "succeeded",
    "failed",
    "canceled",
    "stuck",
    "extra provider jobs",
    "orphan blobs",
    "recovery s",
    "verdict",
  ];
  const rows = outcomes.map((o) => [
    o.scenario,
    String(o.started),
    String(o.succeeded),
    `${o.failed}${o.refusedCreates > 0 ? ` (${o.refusedCreates} refused creates)` : ""}`,
    String(o.canceled),
    String(o.stuck),
    `${o.untrackedProviderJobs} untracked${o.uncertainProviderJobs > 0 ? `, ${o.uncertainProviderJobs} uncertain recorded` : ""}`,
    String(o.orphanBlobs),
    o.recoverySeconds.toFixed(1),
    o.violations.length === 0 ? "ok" : `${o.violations.length} violations`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
