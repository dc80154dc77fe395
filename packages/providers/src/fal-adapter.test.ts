import { describe, expect, it } from "vitest";
import { falAppId } from "./fal-adapter";
import { describeProviderContract, tenMinutesAgo, withHeaders } from "./testing/provider-contract";

const falSigned = {
  mode: "signed" as const,
  verifiedStatus: true,
  forged: (d: { headers: Headers; rawBody: string }) => ({ headers: d.headers, rawBody: d.rawBody.replace('"OK"', '"ERROR"') }),
  stale: (
    fakes: { sign: { fal(requestId: string, body: string, ts: number): Record<string, string> } },
    d: { headers: Headers; rawBody: string },
  ) => ({ headers: withHeaders(d, fakes.sign.fal(d.headers.get("x-fal-webhook-request-id") ?? "", d.rawBody, tenMinutesAgo())), rawBody: d.rawBody }),
};

describeProviderContract({ provider: "fal", modelId: "kling-3", params: { mode: "pro", durationSeconds: 5, generateAudio: true }, cancelStops: true, reportsProgress: true, reportsQueuePosition: true, webhooks: falSigned });
describeProviderContract({ provider: "fal", modelId: "veo-3.1", params: { durationSeconds: 8, aspectRatio: "16:9", resolution: "720p", generateAudio: false, seed: 3 }, cancelStops: true, reportsProgress: true, reportsQueuePosition: true, webhooks: falSigned });
describeProviderContract({ provider: "fal", modelId: "seedance-2", params: { durationSeconds: 5, resolution: "480p", aspectRatio: "adaptive", cameraFixed: false, generateAudio: false }, cancelStops: true, reportsProgress: true, webhooks: falSigned });
describeProviderContract({ provider: "fal", modelId: "motion-control", params: { mode: "std", characterOrientation: "image", keepOriginalSound: false }, cancelStops: true, reportsProgress: true, webhooks: falSigned });

describe("fal app ids", () => {
  it("drops the endpoint's sub-path for status and result URLs", () => {
    expect(falAppId("fal-ai/kling-video/v3/pro/image-to-video")).toBe("fal-ai/kling-video");
    expect(falAppId("bytedance/seedance-2.0/image-to-video")).toBe("bytedance/seedance-2.0");
  });
});
