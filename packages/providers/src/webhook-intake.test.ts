import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeProviders } from "@animateimg/provider-fakes";
import {
  fakeAdapter,
  startFakes,
  startWebhookReceiver,
  submitRequestFor,
  waitFor,
  type WebhookReceiver,
} from "./testing/fake-harness";
import { handleProviderWebhook, type WebhookIntakeDependencies } from "./webhook-intake";

describe("provider webhook intake", () => {
  let fakes: FakeProviders;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    fakes = await startFakes();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await fakes.stop();
    await receiver.stop();
  });

  function deps(provider: "replicate" | "kling" | "bytedance", jobs: Map<string, string>) {
    const recorded = new Set<string>();
    const signals: Array<{ generationId: string; provider: string; providerJobId: string }> = [];
    let failSignal = false;
    const d: WebhookIntakeDependencies = {
      adapter: fakeAdapter(fakes, provider),
      findGenerationId: (_p, jobId) => Promise.resolve(jobs.get(jobId)),
      recordDelivery: ({ provider: p, deliveryKey }) => {
        const key = `${p}:${deliveryKey}`;
        if (recorded.has(key)) return Promise.resolve(false);
        recorded.add(key);
        return Promise.resolve(true);
      },
      forgetDelivery: ({ provider: p, deliveryKey }) => {
        recorded.delete(`${p}:${deliveryKey}`);
        return Promise.resolve();
      },
      signalProviderUpdate: (generationId, update) => {
        if (failSignal) return Promise.reject(new Error("temporal unavailable"));
        signals.push({ generationId, ...update });
        return Promise.resolve();
      },
    };
    return { d, signals, setFailSignal: (v: boolean) => (failSignal = v) };
  }

  it("signals the workflow once per delivery, refuses bad signatures, and lets a retry through after a failed signal", async () => {
    fakes.control.injectFault("replicate", { kind: "duplicate_webhook", times: 1 });
    const adapter = fakeAdapter(fakes, "replicate");
    const { providerJobId } = await adapter.submit(
      submitRequestFor(
        fakes,
        "kling-3",
        { mode: "std", durationSeconds: 5, generateAudio: false },
        { webhookUrl: receiver.url("replicate") },
      ),
    );
    fakes.control.completeJob("replicate", providerJobId);
    const deliveries = await waitFor(() => {
      const mine = receiver.received.filter((r) => r.rawBody.includes(providerJobId));
      return mine.length >= 2 ? mine : undefined;
    }, "two deliveries");
    const { d, signals, setFailSignal } = deps("replicate", new Map([[providerJobId, "gen-1"]]));

    setFailSignal(true);
    expect(await handleProviderWebhook(d, deliveries[0]!)).toMatchObject({ status: 503, outcome: "try_later" });
    setFailSignal(false);
    expect(await handleProviderWebhook(d, deliveries[0]!)).toMatchObject({
      status: 200,
      outcome: "signalled",
      generationId: "gen-1",
    });
    expect(await handleProviderWebhook(d, deliveries[1]!)).toMatchObject({ status: 200, outcome: "duplicate" });
    expect(signals).toEqual([{ generationId: "gen-1", provider: "replicate", providerJobId }]);

    const forged = { headers: deliveries[0]!.headers, rawBody: deliveries[0]!.rawBody.replace("succeeded", "failed") };
    expect(await handleProviderWebhook(d, forged)).toMatchObject({ status: 401, outcome: "bad_signature" });
    expect(await handleProviderWebhook(d, { headers: new Headers(), rawBody: "not json" })).toMatchObject({
      status: 401,
    });
  });

  it("answers 404 for a job it does not know, without recording the delivery", async () => {
    const { d, signals } = deps("kling", new Map());
    const body = JSON.stringify({ task_id: "unknown-task", task_status: "succeed" });
    expect(await handleProviderWebhook(d, { headers: new Headers(), rawBody: body })).toMatchObject({
      status: 404,
      outcome: "unknown_job",
    });
    expect(await handleProviderWebhook(d, { headers: new Headers(), rawBody: "{" })).toMatchObject({
      status: 400,
      outcome: "malformed",
    });
    expect(signals).toEqual([]);
  });

  it.each([
    {
      provider: "kling" as const,
      modelId: "kling-3" as const,
      params: { mode: "std", durationSeconds: 5, generateAudio: false },
      forge: (id: string) => ({
        task_id: id,
        task_status: "succeed",
        task_result: { videos: [{ url: "https://attacker.test/x.mp4" }] },
      }),
    },
    {
      provider: "bytedance" as const,
      modelId: "seedance-2" as const,
      params: { durationSeconds: 5, resolution: "720p", aspectRatio: "16:9" },
      forge: (id: string) => ({ id, status: "succeeded", content: { video_url: "https://attacker.test/x.mp4" } }),
    },
  ])(
    "treats an unsigned $provider callback only as a reason to re-poll: nothing it claims reaches the workflow",
    async ({ provider, modelId, params, forge }) => {
      const adapter = fakeAdapter(fakes, provider);
      const { providerJobId } = await adapter.submit(
        submitRequestFor(fakes, modelId, params, { webhookUrl: receiver.url(provider) }),
      );
      // Anyone can post this: the provider signs nothing.
      const forged = { headers: new Headers(), rawBody: JSON.stringify(forge(providerJobId)) };
      const parsed = await adapter.parseWebhook(forged);
      expect(parsed).toMatchObject({ providerJobId, verified: false });
      const { d, signals } = deps(provider, new Map([[providerJobId, "gen-unsigned"]]));
      expect(await handleProviderWebhook(d, forged)).toMatchObject({ status: 200, outcome: "signalled" });
      // The signal names the job and nothing else: the workflow learns the state by polling,
      // and the provider says the job is still going.
      expect(signals).toEqual([{ generationId: "gen-unsigned", provider, providerJobId }]);
      expect((await adapter.poll(modelId, providerJobId)).state).not.toBe("succeeded");
    },
  );
});
