import { describeProviderContract } from "./testing/provider-contract";

describeProviderContract({
  provider: "bytedance",
  modelId: "seedance-2",
  params: { durationSeconds: 5, resolution: "720p", aspectRatio: "adaptive", cameraFixed: true, generateAudio: false, seed: 12 },
  cancelStops: true,
  webhooks: { mode: "unsigned" },
});
