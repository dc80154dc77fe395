// The operator's smoke test, run the way an operator runs it (`pnpm providers:smoke`, a process
// configured by environment), against the provider fakes standing in for the real APIs.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFakeVideo, startFakeProviders, type FakeProviders } from "@animateimg/provider-fakes";
import { cheapestParams } from "./providers-smoke";
import { repoRoot } from "./env";

let fakes: FakeProviders;
beforeAll(async () => {
  fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
  fakes.control.setLifecycle("all", { queuedPolls: 1, pollsToComplete: 2 });
});
afterAll(async () => {
  await fakes?.stop();
});

function runSmokeCli(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Only what the test sets: no developer's keys leak in from the shell.
    const child = spawn(
      path.join(repoRoot, "node_modules", ".bin", "tsx"),
      [path.join(repoRoot, "tooling/dev/src/providers-smoke-cli.ts")],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const fakeEnv = () => {
  const c = fakes.credentials;
  return {
    KLING_BASE_URL: fakes.baseUrls.kling,
    KLING_ACCESS_KEY: c.kling.accessKey,
    KLING_SECRET_KEY: c.kling.secretKey,
    GOOGLE_GEMINI_BASE_URL: fakes.baseUrls.google,
    GOOGLE_GEMINI_API_KEY: c.google.apiKey,
    BYTEPLUS_ARK_BASE_URL: fakes.baseUrls.bytedance,
    BYTEPLUS_ARK_API_KEY: c.bytedance.apiKey,
    KIE_BASE_URL: fakes.baseUrls.kie,
    KIE_API_KEY: c.kie.apiKey,
    FAL_QUEUE_BASE_URL: fakes.baseUrls.fal,
    FAL_KEY: c.fal.apiKey,
    REPLICATE_BASE_URL: fakes.baseUrls.replicate,
    REPLICATE_API_TOKEN: c.replicate.apiToken,
    SMOKE_IMAGE_URL: fakes.mediaUrl("photo.png"),
    SMOKE_POLL_SECONDS: "0.05",
    SMOKE_TIMEOUT_SECONDS: "60",
  };
};

describe("pnpm providers:smoke", () => {
  it("picks the cheapest parameters a model accepts", () => {
    expect(cheapestParams("kling-3")).toMatchObject({ durationSeconds: 3, mode: "std", generateAudio: false });
    expect(cheapestParams("veo-3.1")).toMatchObject({ durationSeconds: 4 });
    expect(cheapestParams("seedance-2")).toMatchObject({ durationSeconds: 4 });
  });

  it("without keys says what it would do and exits 0", async () => {
    const { code, stdout } = await runSmokeCli({});
    expect(code).toBe(0);
    expect(stdout).toContain("no provider is configured");
    for (const provider of ["kling", "google", "bytedance", "kie", "fal", "replicate"])
      expect(stdout).toMatch(new RegExp(`^  ${provider}\\s+\\S+`, "m"));
  });

  it("runs the cheapest generation at every configured provider, checks each MP4 and prints the table", async () => {
    const before = fakes.control.jobCounts();
    const { code, stdout, stderr } = await runSmokeCli(fakeEnv());
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const rows = stdout.split("\n").filter((line) => /^(kling|google|bytedance|kie|fal|replicate)\s/.test(line));
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toMatch(/ok: h264 \d+x\d+, [\d.]+ s/);
    expect(stdout).toMatch(/^provider\s+model\s+latency\s+cost estimate\s+result$/m);
    const after = fakes.control.jobCounts();
    // One job per provider: a smoke test that spends money twice would be a bad surprise.
    for (const provider of ["kling", "google", "bytedance", "kie", "fal", "replicate"] as const)
      expect(after[provider] - before[provider]).toBe(1);
  });

  it("exits 1 and names the provider when one of them fails", async () => {
    fakes.control.injectFault("fal", { kind: "moderation", times: 1 });
    try {
      const env = fakeEnv();
      const { code, stdout } = await runSmokeCli({
        FAL_QUEUE_BASE_URL: env.FAL_QUEUE_BASE_URL,
        FAL_KEY: env.FAL_KEY,
        SMOKE_IMAGE_URL: env.SMOKE_IMAGE_URL,
        SMOKE_POLL_SECONDS: "0.05",
      });
      expect(code).toBe(1);
      expect(stdout).toMatch(/^fal\s.*FAILED: content_policy/m);
    } finally {
      fakes.control.clearFaults();
    }
  });

  it("refuses to spend money without a photo the providers can fetch", async () => {
    const { code, stderr } = await runSmokeCli({ FAL_KEY: "k" });
    expect(code).toBe(78);
    expect(stderr).toContain("SMOKE_IMAGE_URL must be a public URL");
  });
});
