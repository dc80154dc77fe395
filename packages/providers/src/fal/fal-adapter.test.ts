import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultFakeCredentials, FAKE_PHOTO_PNG, type FakeProviders } from "@animateimg/provider-fakes";
import type { ProviderAdapter } from "../adapter";
import { createFalAdapter, falAppId } from "./fal-adapter";
import { fakeAdapter, fakeRegistryConfig, pollToEnd, startFakes, submitRequestFor } from "../testing/fake-harness";
import {
  describeProviderContract,
  expectProviderError,
  tenMinutesAgo,
  withHeaders,
} from "../testing/provider-contract";

const falSigned = {
  mode: "signed" as const,
  verifiedStatus: true,
  forged: (d: { headers: Headers; rawBody: string }) => ({
    headers: d.headers,
    rawBody: d.rawBody.replace('"OK"', '"ERROR"'),
  }),
  stale: (
    fakes: { sign: { fal(requestId: string, body: string, ts: number): Record<string, string> } },
    d: { headers: Headers; rawBody: string },
  ) => ({
    headers: withHeaders(
      d,
      fakes.sign.fal(d.headers.get("x-fal-webhook-request-id") ?? "", d.rawBody, tenMinutesAgo()),
    ),
    rawBody: d.rawBody,
  }),
};

describeProviderContract({
  provider: "fal",
  modelId: "kling-3",
  params: { mode: "pro", durationSeconds: 5, generateAudio: true },
  cancelStops: true,
  reportsProgress: true,
  reportsQueuePosition: true,
  webhooks: falSigned,
});
describeProviderContract({
  provider: "fal",
  modelId: "veo-3.1",
  params: { durationSeconds: 8, aspectRatio: "16:9", resolution: "720p", generateAudio: false, seed: 3 },
  cancelStops: true,
  reportsProgress: true,
  reportsQueuePosition: true,
  webhooks: falSigned,
});
describeProviderContract({
  provider: "fal",
  modelId: "seedance-2",
  params: { durationSeconds: 5, resolution: "480p", aspectRatio: "adaptive", cameraFixed: false, generateAudio: false },
  cancelStops: true,
  reportsProgress: true,
  webhooks: falSigned,
});
describeProviderContract({
  provider: "fal",
  modelId: "motion-control",
  params: { mode: "std", characterOrientation: "image", keepOriginalSound: false },
  cancelStops: true,
  reportsProgress: true,
  webhooks: falSigned,
});

describe("fal app ids", () => {
  it("drops the endpoint's sub-path for status and result URLs", () => {
    expect(falAppId("fal-ai/kling-video/v3/pro/image-to-video")).toBe("fal-ai/kling-video");
    expect(falAppId("bytedance/seedance-2.0/image-to-video")).toBe("bytedance/seedance-2.0");
  });
});

describe("fal uploads our media to its CDN when configured", () => {
  let fakes: FakeProviders;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(async () => {
    await fakes.stop();
  });
  const adapter = () =>
    createFalAdapter({
      baseUrl: fakes.baseUrls.fal,
      apiKey: fakes.credentials.fal.apiKey,
      jwksUrl: fakes.falJwksUrl,
      uploadMedia: true,
      storageBaseUrl: fakes.falHosts.rest,
    });

  it("initiates, PUTs each file and gives the model the file URLs, as fal.storage.upload does", async () => {
    fakes.control.clearRecords();
    const request = submitRequestFor(fakes, "motion-control", {
      mode: "std",
      characterOrientation: "image",
      keepOriginalSound: false,
    });
    const { providerJobId } = await adapter().submit(request);
    const initiated = fakes.requests.filter((r) => r.path.startsWith("/fal/.rest/storage/upload/initiate"));
    expect(initiated.map((r) => (JSON.parse(r.body) as { content_type: string }).content_type)).toEqual([
      "image/png",
      "video/mp4",
    ]);
    expect(initiated[0]!.headers.authorization).toBe(`Key ${fakes.credentials.fal.apiKey}`);
    const puts = fakes.requests.filter((r) => r.method === "PUT" && r.path.startsWith("/fal/.cdn/upload/"));
    expect(puts).toHaveLength(2);
    expect(puts.every((r) => r.headers.authorization === undefined)).toBe(true);

    const job = fakes.control.jobs("fal").find((j) => j.id === providerJobId)!;
    const input = job.input as { image_url: string; video_url: string };
    expect(JSON.stringify(input)).not.toContain(`${fakes.origin}/media/`);
    expect(Buffer.from(await (await fetch(input.image_url)).arrayBuffer()).equals(FAKE_PHOTO_PNG)).toBe(true);
    expect((await fetch(input.video_url)).headers.get("content-type")).toBe("video/mp4");
    expect((await pollToEnd(adapter(), "motion-control", providerJobId)).at(-1)).toMatchObject({ state: "succeeded" });
  });

  it("submits nothing when the storage refuses the upload", async () => {
    const before = fakes.control.jobCounts().fal;
    const refusing = createFalAdapter({
      baseUrl: fakes.baseUrls.fal,
      apiKey: "wrong-key",
      uploadMedia: true,
      storageBaseUrl: fakes.falHosts.rest,
    });
    await expect(
      refusing.submit(submitRequestFor(fakes, "kling-3", { mode: "std", durationSeconds: 5 })),
    ).rejects.toMatchObject({ kind: "auth" });
    expect(fakes.control.jobCounts().fal).toBe(before);
  });
});

describe("fal deletes what it keeps of a request (account deletion)", () => {
  const adminApiKey = "fake-fal-admin:fake-fal-admin-secret";
  let fakes: FakeProviders;
  let adapter: ProviderAdapter;

  beforeAll(async () => {
    fakes = await startFakes({ credentials: { fal: { ...defaultFakeCredentials.fal, adminApiKey } } });
    adapter = fakeAdapter(fakes, "fal");
  });
  afterAll(async () => {
    await fakes?.stop();
  });

  async function finishedJob(): Promise<{ id: string; outputUrl: string }> {
    const { providerJobId } = await adapter.submit(submitRequestFor(fakes, "kling-3", { durationSeconds: 5 }));
    const end = (await pollToEnd(adapter, "kling-3", providerJobId)).at(-1);
    if (end?.state !== "succeeded") throw new Error(`job ended ${end?.state}`);
    return { id: providerJobId, outputUrl: end.outputUrl };
  }

  it("deletes the request's input, output and output file with the admin key, once", async () => {
    const job = await finishedJob();
    expect((await fetch(job.outputUrl)).status).toBe(200);
    expect(await adapter.deleteJobData!("kling-3", job.id)).toBe("deleted");

    const sent = fakes.requests.filter((r) => r.method === "DELETE");
    expect(sent.map((r) => r.path)).toEqual([`/fal/v1/models/requests/${job.id}/payloads`]);
    expect(sent[0]!.headers.authorization).toBe(`Key ${adminApiKey}`);
    expect(sent[0]!.headers["idempotency-key"]).toBe(`delete-payloads:${job.id}`);
    // fal no longer has the output or the input.
    expect((await fetch(job.outputUrl)).status).toBe(404);
    expect(fakes.control.jobs("fal").find((j) => j.id === job.id)?.input).toBeNull();
    // Asking again (a retried activity) changes nothing and still succeeds.
    expect(await adapter.deleteJobData!("kling-3", job.id)).toBe("deleted");
  });

  it("says not_found for a request fal does not have", async () => {
    expect(await adapter.deleteJobData!("kling-3", "00000000-0000-4000-8000-000000000000")).toBe("not_found");
  });

  it("is refused (auth) with a key without ADMIN scope, and fails retryably when fal is down", async () => {
    const job = await finishedJob();
    const config = fakeRegistryConfig(fakes);
    const withoutAdmin = createFalAdapter({ ...config.fal!, apiKey: config.fal!.apiKey!, adminApiKey: undefined });
    const refused = await expectProviderError(withoutAdmin.deleteJobData!("kling-3", job.id), "auth");
    expect(refused.httpStatus).toBe(403);

    fakes.control.injectFault("fal", { kind: "server_error", times: 1 });
    await expectProviderError(adapter.deleteJobData!("kling-3", job.id), "transient");
    expect(await adapter.deleteJobData!("kling-3", job.id)).toBe("deleted");
  });
});
