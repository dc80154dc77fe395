import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_PHOTO_PNG, type FakeProviders } from "@animateimg/provider-fakes";
import { createReplicateAdapter } from "./replicate-adapter";
import { fakeAdapter, pollToEnd, startFakes, submitRequestFor } from "../testing/fake-harness";
import { describeProviderContract, tenMinutesAgo, withHeaders } from "../testing/provider-contract";

const replicateSigned = {
  mode: "signed" as const,
  verifiedStatus: true,
  forged: (d: { headers: Headers; rawBody: string }) => ({
    headers: d.headers,
    rawBody: d.rawBody.replace('"succeeded"', '"failed"') + " ",
  }),
  stale: (
    fakes: { sign: { replicate(id: string, body: string, ts: number): Record<string, string> } },
    d: { headers: Headers; rawBody: string },
  ) => ({
    headers: withHeaders(d, fakes.sign.replicate(d.headers.get("webhook-id") ?? "", d.rawBody, tenMinutesAgo())),
    rawBody: d.rawBody,
  }),
};

describeProviderContract({
  provider: "replicate",
  modelId: "kling-3",
  params: { mode: "std", durationSeconds: 5, generateAudio: false },
  cancelStops: true,
  reportsProgress: true,
  webhooks: replicateSigned,
});
describeProviderContract({
  provider: "replicate",
  modelId: "veo-3.1",
  params: { durationSeconds: 8, aspectRatio: "9:16", resolution: "720p", generateAudio: true, seed: 9 },
  cancelStops: true,
  reportsProgress: true,
  webhooks: replicateSigned,
});
describeProviderContract({
  provider: "replicate",
  modelId: "seedance-2",
  params: {
    durationSeconds: 6,
    resolution: "1080p",
    aspectRatio: "1:1",
    cameraFixed: true,
    generateAudio: true,
    seed: 1,
  },
  cancelStops: true,
  reportsProgress: true,
  webhooks: replicateSigned,
});

describe("replicate submit is safe to retry (prediction list)", () => {
  let fakes: FakeProviders;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(async () => {
    await fakes.stop();
  });
  const params = { mode: "std", durationSeconds: 5, generateAudio: false };

  it("finds the prediction by our reference in its input when the create answer is lost, past the first page", async () => {
    const adapter = fakeAdapter(fakes, "replicate");
    const request = submitRequestFor(fakes, "kling-3", params, {
      generationId: "7d2e9f30-0000-4000-8000-00000000cafe",
      attempt: 1,
    });
    const sentAfter = new Date();
    expect(adapter.canFindJob?.(request)).toBe(true);
    expect(await adapter.findJob!(request, { sentAfter })).toBeUndefined();
    fakes.control.injectFault("replicate", { kind: "lost_response", on: "submit", times: 1 });
    await expect(adapter.submit(request)).rejects.toMatchObject({ kind: "transient" });
    const lost = fakes.control.jobs("replicate").at(-1)!;
    // The next attempt of the same generation and 120 newer predictions push it to page 2.
    await adapter.submit({ ...request, attempt: 2 });
    for (let i = 0; i < 120; i += 1) await adapter.submit(submitRequestFor(fakes, "kling-3", params));
    fakes.control.clearRecords();
    expect(await adapter.findJob!(request, { sentAfter })).toBe(lost.id);
    const listed = fakes.requests.filter((r) => r.method === "GET");
    expect(listed).toHaveLength(2);
    expect(listed[0]!.path).toMatch(/^\/replicate\/v1\/predictions\?created_after=/);
    expect(listed[1]!.path).toContain("cursor=");
    expect(fakes.control.jobs("replicate").every((j) => j.polls === 0)).toBe(true);
  });

  it("sends no reference (and so cannot look up) when configured without one", async () => {
    const config = {
      baseUrl: fakes.baseUrls.replicate,
      apiToken: fakes.credentials.replicate.apiToken,
      referenceInputKey: null,
    };
    const adapter = createReplicateAdapter(config);
    const request = submitRequestFor(fakes, "kling-3", params);
    expect(adapter.canFindJob?.(request)).toBe(false);
    fakes.control.clearRecords();
    await adapter.submit(request);
    const body = JSON.parse(fakes.requests.find((r) => r.method === "POST")!.body) as {
      input: Record<string, unknown>;
    };
    expect(Object.keys(body.input)).not.toContain("animateimg_ref");
  });
});

describe("replicate uploads our media as Replicate files when configured", () => {
  let fakes: FakeProviders;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(async () => {
    await fakes.stop();
  });
  const params = { mode: "pro", durationSeconds: 5, generateAudio: false };
  const auth = () => ({ authorization: `Bearer ${fakes.credentials.replicate.apiToken}` });

  it("sends the photo and end frame as files and the model their urls.get, never our signed URL", async () => {
    const adapter = createReplicateAdapter({
      baseUrl: fakes.baseUrls.replicate,
      apiToken: fakes.credentials.replicate.apiToken,
      uploadMedia: true,
    });
    const request = submitRequestFor(fakes, "kling-3", params, { endFrame: true });
    fakes.control.clearRecords();
    const { providerJobId } = await adapter.submit(request);

    const uploads = fakes.requests.filter((r) => r.method === "POST" && r.path === "/replicate/v1/files");
    expect(uploads).toHaveLength(2);
    expect(String(uploads[0]!.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    const create = fakes.requests.find((r) => r.method === "POST" && r.path.endsWith("/predictions"))!;
    expect(create.body).not.toContain(fakes.origin + "/media/");
    const input = (JSON.parse(create.body) as { input: { start_image: string; end_image: string } }).input;
    for (const url of [input.start_image, input.end_image]) {
      expect(url).toMatch(/\/replicate\/v1\/files\/[a-z0-9]+$/);
      const file = (await (await fetch(url, { headers: auth() })).json()) as {
        content_type: string;
        metadata: unknown;
      };
      expect(file).toMatchObject({ content_type: "image/png", metadata: {} });
      const bytes = Buffer.from(await (await fetch(`${url}/download`, { headers: auth() })).arrayBuffer());
      expect(bytes.equals(FAKE_PHOTO_PNG)).toBe(true);
    }
    expect((await pollToEnd(adapter, "kling-3", providerJobId)).at(-1)).toMatchObject({ state: "succeeded" });
  });

  it("creates no prediction when our own media cannot be read (a retryable failure of ours)", async () => {
    const adapter = createReplicateAdapter({
      baseUrl: fakes.baseUrls.replicate,
      apiToken: fakes.credentials.replicate.apiToken,
      uploadMedia: true,
    });
    const request = submitRequestFor(fakes, "kling-3", params);
    const before = fakes.control.jobCounts().replicate;
    await expect(
      adapter.submit({ ...request, media: { ...request.media, imageUrl: `${fakes.origin}/media/missing.png` } }),
    ).rejects.toMatchObject({ kind: "transient" });
    expect(fakes.control.jobCounts().replicate).toBe(before);
  });
});
