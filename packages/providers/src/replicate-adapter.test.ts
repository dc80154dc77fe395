import { describeProviderContract, tenMinutesAgo, withHeaders } from "./testing/provider-contract";

const replicateSigned = {
  mode: "signed" as const,
  verifiedStatus: true,
  forged: (d: { headers: Headers; rawBody: string }) => ({ headers: d.headers, rawBody: d.rawBody.replace('"succeeded"', '"failed"') + " " }),
  stale: (
    fakes: { sign: { replicate(id: string, body: string, ts: number): Record<string, string> } },
    d: { headers: Headers; rawBody: string },
  ) => ({ headers: withHeaders(d, fakes.sign.replicate(d.headers.get("webhook-id") ?? "", d.rawBody, tenMinutesAgo())), rawBody: d.rawBody }),
};

describeProviderContract({ provider: "replicate", modelId: "kling-3", params: { mode: "std", durationSeconds: 5, generateAudio: false }, cancelStops: true, reportsProgress: true, webhooks: replicateSigned });
describeProviderContract({ provider: "replicate", modelId: "veo-3.1", params: { durationSeconds: 8, aspectRatio: "9:16", resolution: "720p", generateAudio: true, seed: 9 }, cancelStops: true, reportsProgress: true, webhooks: replicateSigned });
describeProviderContract({ provider: "replicate", modelId: "seedance-2", params: { durationSeconds: 6, resolution: "1080p", aspectRatio: "1:1", cameraFixed: true, generateAudio: true, seed: 1 }, cancelStops: true, reportsProgress: true, webhooks: replicateSigned });
