import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeProviders } from "@animateimg/provider-fakes";
import { derivedSeed } from "./bytedance-adapter";
import { fakeAdapter, startFakes, submitRequestFor } from "../testing/fake-harness";
import { describeProviderContract } from "../testing/provider-contract";

describeProviderContract({
  provider: "bytedance",
  modelId: "seedance-2",
  params: {
    durationSeconds: 5,
    resolution: "720p",
    aspectRatio: "adaptive",
    cameraFixed: true,
    generateAudio: false,
    seed: 12,
  },
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
    const params = {
      durationSeconds: 5,
      resolution: "720p",
      aspectRatio: "16:9",
      cameraFixed: false,
      generateAudio: false,
    };
    const { providerJobId } = await adapter.submit(submitRequestFor(fakes, "seedance-2", params));
    await adapter.poll("seedance-2", providerJobId); // queued
    expect((await adapter.poll("seedance-2", providerJobId)).state).toBe("running");
    await expect(adapter.cancel("seedance-2", providerJobId)).resolves.toBeUndefined();
    expect((await adapter.poll("seedance-2", providerJobId)).state).toBe("succeeded");
  });

  it("sends no field BytePlus does not know (its validation is strict)", async () => {
    const adapter = fakeAdapter(fakes, "bytedance");
    fakes.control.clearRecords();
    const request = submitRequestFor(fakes, "seedance-2", {
      durationSeconds: 4,
      resolution: "480p",
      aspectRatio: "adaptive",
      cameraFixed: false,
      generateAudio: false,
    });
    await adapter.submit(request);
    const body = JSON.parse(fakes.requests.find((r) => r.method === "POST")!.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      "camera_fixed",
      "content",
      "duration",
      "generate_audio",
      "model",
      "ratio",
      "resolution",
      "seed",
    ]);
    // No seed chosen: one derived from our attempt, which is how a lost task is found again.
    expect(body.seed).toBe(derivedSeed(request));
  });
});

describe("bytedance submit is safe to retry (task list)", () => {
  let fakes: FakeProviders;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(async () => {
    await fakes.stop();
  });
  const params = {
    durationSeconds: 5,
    resolution: "720p",
    aspectRatio: "16:9",
    cameraFixed: false,
    generateAudio: false,
  };

  it("finds the task by its derived seed when the create answer is lost, past the first page", async () => {
    const adapter = fakeAdapter(fakes, "bytedance");
    const request = submitRequestFor(fakes, "seedance-2", params, {
      generationId: "6c1d8e2f-0000-4000-8000-00000000beef",
      attempt: 2,
    });
    const sentAfter = new Date();
    expect(adapter.canFindJob?.(request)).toBe(true);
    expect(await adapter.findJob!(request, { sentAfter })).toBeUndefined();
    fakes.control.injectFault("bytedance", { kind: "lost_response", on: "submit", times: 1 });
    // The task was created, the answer lost.
    await expect(adapter.submit(request)).rejects.toMatchObject({ kind: "transient" });
    const lost = fakes.control.jobs("bytedance").at(-1)!;
    // A later attempt of the same generation and 120 other tasks push it off the first page.
    await adapter.submit({ ...request, attempt: 3 });
    for (let i = 0; i < 120; i += 1) await adapter.submit(submitRequestFor(fakes, "seedance-2", params));
    fakes.control.clearRecords();
    expect(await adapter.findJob!(request, { sentAfter })).toBe(lost.id);
    const listed = fakes.requests.filter((r) => r.method === "GET");
    expect(listed.length).toBeGreaterThan(1);
    expect(listed[0]!.path).toContain("filter.model=");
    // Reading the list advanced no task.
    expect(fakes.control.jobs("bytedance").every((j) => j.polls === 0)).toBe(true);
  });

  it("cannot tell a lost task apart when the user chose the seed", () => {
    const adapter = fakeAdapter(fakes, "bytedance");
    expect(adapter.canFindJob?.(submitRequestFor(fakes, "seedance-2", { ...params, seed: 7 }))).toBe(false);
  });
});
