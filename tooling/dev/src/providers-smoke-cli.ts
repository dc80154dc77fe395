// `pnpm providers:smoke` — see providers-smoke.ts. Reads the same provider variables as the
// worker (.env included). With no provider configured it says what it would do and exits 0;
// otherwise it exits 1 when any provider's run failed, so it can gate a deploy.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { loadEnvOrExit, urlWithProtocol } from "@animateimg/config";
import { modelIds } from "@animateimg/catalog";
import { createProviderRegistry, providerConfigEnv, providerRegistryConfigFromEnv } from "@animateimg/providers";
import { formatSmokeTable, planSmokeRuns, runSmoke } from "./providers-smoke";

const dotenv = path.resolve(import.meta.dirname, "../../../.env");
if (existsSync(dotenv)) process.loadEnvFile(dotenv);

const env = loadEnvOrExit(
  providerConfigEnv.extend({
    /** A photo every configured provider can fetch: a public https URL (JPEG or PNG). */
    SMOKE_IMAGE_URL: urlWithProtocol("http:", "https:").optional(),
    SMOKE_PROMPT: z.string().max(500).optional(),
    SMOKE_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(3600).default(900),
    SMOKE_POLL_SECONDS: z.coerce.number().min(0.05).max(60).default(5),
  }),
  process.env,
);

const registry = createProviderRegistry(providerRegistryConfigFromEnv(env));
const plan = planSmokeRuns(registry, modelIds);
const every = planSmokeRuns(
  createProviderRegistry(
    providerRegistryConfigFromEnv({
      KLING_ACCESS_KEY: "x",
      KLING_SECRET_KEY: "x",
      GOOGLE_GEMINI_API_KEY: "x",
      BYTEPLUS_ARK_API_KEY: "x",
      KIE_API_KEY: "x",
      FAL_KEY: "x",
      REPLICATE_API_TOKEN: "x",
    }),
  ),
  modelIds,
);

if (plan.runs.length === 0) {
  console.log(
    "providers:smoke: no provider is configured (set its keys, e.g. KLING_ACCESS_KEY + KLING_SECRET_KEY, FAL_KEY, REPLICATE_API_TOKEN).",
  );
  console.log(
    "With keys it would run, per configured provider, the cheapest generation it offers, check the MP4 and print a table:",
  );
  for (const run of every.runs)
    console.log(
      `  ${run.provider.padEnd(9)} ${run.modelId} ${JSON.stringify(run.params)} (${run.credits} credits × ${run.relativeCost})`,
    );
  process.exit(0);
}
if (!env.SMOKE_IMAGE_URL) {
  console.error(
    "providers:smoke: SMOKE_IMAGE_URL must be a public URL of a photo (JPEG or PNG) that every configured provider can fetch.",
  );
  process.exit(78);
}
const imageMimeType = /\.png($|\?)/i.test(env.SMOKE_IMAGE_URL) ? "image/png" : "image/jpeg";
console.log(
  `providers:smoke: ${plan.runs.length} run(s), one per configured provider, in parallel; this spends real money at each provider.`,
);
for (const line of plan.skipped) console.log(`  skipped ${line}`);
const rows = await Promise.all(
  plan.runs.map((item) =>
    runSmoke(registry, item, {
      imageUrl: env.SMOKE_IMAGE_URL!,
      imageMimeType,
      ...(env.SMOKE_PROMPT ? { prompt: env.SMOKE_PROMPT } : {}),
      timeoutMs: env.SMOKE_TIMEOUT_SECONDS * 1000,
      pollIntervalMs: env.SMOKE_POLL_SECONDS * 1000,
    }),
  ),
);
console.log(formatSmokeTable(rows));
process.exit(rows.every((r) => r.result === "ok") ? 0 : 1);
