import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeProviders } from "@animateimg/provider-fakes";
import { fakeAdapter, startFakes, submitRequestFor } from "./testing/fake-harness";
import { describeProviderContract } from "./testing/provider-contract";

describeProviderContract({
  provider: "bytedance",
  modelId: "seedance-2",
  params: { durationSeconds: 5, resolution: "720p", aspectRatio: "adaptive", cameraFixed: true, generateAudio: false, seed: 12 },
  cancelStops: true,
  webhooks: { mode: "unsigned" },
});

describe("bytedance details", () => {
  let fakes: FakeProviders;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(async () => {
    await fakes.stop();
  });

  it("treats cancelling a running task as too late rather than as a failure", async () => {
    const adapter = fakeAdapter(fakes, "bytedance");
    const params = { durationSeconds: 5, resolution: "720p", aspectRatio: "16:9", cameraFixed: false, generateAudio: false };
    const { providerJobId } = await adapter.submit(submitRequestFor(fakes, "seedance-2", params));
    await adapter.poll("seedance-2", providerJobId); // queued
    expect((await adapter.poll("seedance-2", providerJobId)).state).toBe("running");
    await expect(adapter.cancel("seedance-2", providerJobId)).resolves.toBeUndefined();
    expect((await adapter.poll("seedance-2", providerJobId)).state).toBe("succeeded");
  });

  it("sends no field BytePlus does not know (its validation is strict)", async () => {
    const adapter = fakeAdapter(fakes, "bytedance");
    fakes.control.clearRecords();
    await adapter.submit(submitRequestFor(fakes, "seedance-2", { durationSeconds: 4, resolution: "480p", aspectRatio: "adaptive", cameraFixed: false, generateAudio: false }));
    const body = JSON.parse(fakes.requests.find((r) => r.method === "POST")!.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["camera_fixed", "content", "duration", "generate_audio", "model", "ratio", "resolution"]);
  });
});
