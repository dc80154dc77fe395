// `pnpm providers:smoke`: for operators with real keys. Runs the cheapest generation each
// configured provider offers, straight through its adapter (no database, no Temporal: this
// checks the upstream contract and the keys, not our pipeline), downloads the output, checks it
// is a playable MP4 and prints one row per provider. The same code runs in CI against the
// provider fakes, so the script itself cannot rot.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getModel, parseModelParams, priceOf, type ModelId } from "@animateimg/catalog";
import { probeVideo } from "@animateimg/media";
import type { ProviderRegistry, RemoteProviderId } from "@animateimg/providers";

export interface SmokePlanItem {
  provider: RemoteProviderId;
  modelId: ModelId;
  params: Record<string, unknown>;
  /** Our price in credits for these parameters, times the route's relative cost: what "cheapest" compares. */
  credits: number;
  relativeCost: number;
}

export interface SmokeRow extends SmokePlanItem {
  result: "ok" | "failed";
  latencyMs: number;
  detail: string;
}

/** The cheapest parameters a model accepts: shortest slider values, cheapest options, toggles off. */
export function cheapestParams(modelId: ModelId, options: { keepToggles?: boolean } = {}): Record<string, unknown> {
  const model = getModel(modelId);
  const parsed = parseModelParams(modelId, {});
  if (!parsed.ok) throw new Error(`${modelId} has no default parameters`);
  let params: Record<string, unknown> = { ...parsed.params };
  const price = (candidate: Record<string, unknown>) => {
    const checked = parseModelParams(modelId, candidate);
    return checked.ok ? priceOf(modelId, checked.params) : Number.POSITIVE_INFINITY;
  };
  for (const field of model.fields) {
    // Sliders go to their minimum (shorter is cheaper and quicker), toggles off, selects to the
    // cheapest option (ties keep the default); optional fields stay unset.
    const candidates =
      field.control === "slider"
        ? [field.min]
        : field.control === "select"
          ? field.options.map((o) => o.value)
          : field.control === "toggle" && !options.keepToggles
            ? [false]
            : [];
    for (const value of candidates) {
      const next = { ...params, [field.key]: value };
      const cost = price(next);
      if (
        cost < price(params) ||
        (cost === price(params) && field.control !== "select" && cost !== Number.POSITIVE_INFINITY)
      )
        params = next;
    }
  }
  const final = parseModelParams(modelId, params);
  if (!final.ok) throw new Error(`${modelId}: the cheapest parameters do not validate`);
  return final.params;
}

/**
 * One run per configured provider: among the models it serves that need nothing but a photo,
 * the one that costs least. Motion Control needs a reference video and is left out (said so in
 * the plan's `skipped`).
 */
export function planSmokeRuns(
  registry: ProviderRegistry,
  modelIds: readonly ModelId[],
): { runs: SmokePlanItem[]; skipped: string[] } {
  const runs: SmokePlanItem[] = [];
  const skipped: string[] = [];
  for (const provider of registry.enabled) {
    let best: SmokePlanItem | undefined;
    for (const modelId of modelIds) {
      const model = getModel(modelId);
      if (!model.routes.includes(provider)) continue;
      if (model.inputs.referenceVideo === "required") {
        skipped.push(`${provider}/${modelId}: needs a reference video`);
        continue;
      }
      // A route may refuse a switched-off toggle (the Gemini API always makes sound): then the
      // model's defaults for toggles.
      const adapter = registry.get(provider);
      const params = [cheapestParams(modelId), cheapestParams(modelId, { keepToggles: true })].find(
        (candidate) => !adapter?.unsupportedReason(modelId, candidate, { hasEndFrame: false }),
      );
      if (!params) continue;
      const relativeCost = registry.relativeCost(provider, modelId);
      const credits = priceOf(modelId, params);
      if (!best || credits * relativeCost < best.credits * best.relativeCost)
        best = { provider, modelId, params, credits, relativeCost };
    }
    if (best) runs.push(best);
    else skipped.push(`${provider}: no model it serves runs from a photo alone`);
  }
  return { runs, skipped };
}

export interface SmokeOptions {
  /** A photo the provider can fetch (public URL). */
  imageUrl: string;
  imageMimeType: string;
  prompt?: string;
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** For tests: time source and sleep. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs one plan item to the end: submit, poll, download, probe. Never throws; a failure is a row. */
export async function runSmoke(
  registry: ProviderRegistry,
  item: SmokePlanItem,
  options: SmokeOptions,
): Promise<SmokeRow> {
  const adapter = registry.get(item.provider);
  const started = Date.now();
  const row = (result: SmokeRow["result"], detail: string): SmokeRow => ({
    ...item,
    result,
    detail,
    latencyMs: Date.now() - started,
  });
  if (!adapter) return row("failed", "not configured");
  const sleep = options.sleep ?? defaultSleep;
  const deadline = started + (options.timeoutMs ?? 15 * 60_000);
  const scratch = mkdtempSync(path.join(tmpdir(), "animateimg-smoke-"));
  try {
    const { providerJobId } = await adapter.submit({
      generationId: `smoke-${item.provider}-${started}`,
      attempt: 1,
      modelId: item.modelId,
      prompt: options.prompt ?? "a slow push-in, gentle natural motion",
      params: item.params,
      media: { imageUrl: options.imageUrl, imageMimeType: options.imageMimeType },
    });
    for (;;) {
      if (Date.now() > deadline) {
        await adapter.cancel(item.modelId, providerJobId).catch(() => {});
        return row(
          "failed",
          `no result within ${Math.round((options.timeoutMs ?? 900_000) / 1000)} s (job ${providerJobId}, cancel requested)`,
        );
      }
      const status = await adapter.poll(item.modelId, providerJobId);
      if (status.state === "failed") return row("failed", `${status.error.kind}: ${status.error.message}`);
      if (status.state === "canceled") return row("failed", "the provider canceled the job");
      if (status.state === "succeeded") {
        const headers = adapter.downloadHeaders?.(status.outputUrl) ?? status.outputHeaders ?? {};
        const response = await fetch(status.outputUrl, { headers });
        if (!response.ok) return row("failed", `output download answered ${response.status}`);
        const file = path.join(scratch, "output.mp4");
        writeFileSync(file, Buffer.from(await response.arrayBuffer()));
        const probe = await probeVideo(file);
        if (!(probe.durationSeconds > 0) || probe.width <= 0)
          return row("failed", "the output is not a playable video");
        return row(
          "ok",
          `${probe.codec} ${probe.width}x${probe.height}, ${probe.durationSeconds.toFixed(1)} s, ${(probe.bytes / 1e6).toFixed(1)} MB`,
        );
      }
      await sleep(options.pollIntervalMs ?? 5000);
    }
  } catch (error) {
    return row("failed", error instanceof Error ? error.message.split("\n")[0]! : String(error));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A plain-text table, one row per provider. */
export function formatSmokeTable(rows: readonly SmokeRow[]): string {
  const header = ["provider", "model", "latency", "cost estimate", "result"];
  const lines = rows.map((r) => [
    r.provider,
    `${r.modelId} ${Object.entries(r.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(" ")}`,
    `${(r.latencyMs / 1000).toFixed(1)} s`,
    `${r.credits} credits × ${r.relativeCost}`,
    r.result === "ok" ? `ok: ${r.detail}` : `FAILED: ${r.detail}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [format(header), format(widths.map((w) => "-".repeat(w))), ...lines.map(format)].join("\n");
}
