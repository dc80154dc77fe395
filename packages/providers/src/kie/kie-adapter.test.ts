import { describe, expect, it } from "vitest";
import { createKieAdapter } from "./kie-adapter";
import { describeProviderContract, tenMinutesAgo, withHeaders } from "../testing/provider-contract";

const kieSigned = {
  mode: "signed" as const,
  // Kie signs the task id and timestamp only: the body's status stays a hint.
  verifiedStatus: false,
  forged: (d: { headers: Headers; rawBody: string }) => ({
    headers: withHeaders(d, { "x-webhook-signature": Buffer.from("forged").toString("base64") }),
    rawBody: d.rawBody,
  }),
  stale: (
    fakes: { sign: { kie(taskId: string, ts: number): Record<string, string> } },
    d: { headers: Headers; rawBody: string },
  ) => {
    const taskId = (JSON.parse(d.rawBody) as { data: { taskId: string } }).data.taskId;
    return { headers: withHeaders(d, fakes.sign.kie(taskId, tenMinutesAgo())), rawBody: d.rawBody };
  },
};

describeProviderContract({
  provider: "kie",
  modelId: "veo-3.1",
  params: { durationSeconds: 8, aspectRatio: "16:9", resolution: "720p", generateAudio: true, seed: 12345 },
  cancelStops: false,
  noQueuedState: true,
  webhooks: kieSigned,
});
describeProviderContract({
  provider: "kie",
  modelId: "kling-3",
  params: { mode: "std", durationSeconds: 5, generateAudio: true },
  cancelStops: false,
  webhooks: kieSigned,
});
describeProviderContract({
  provider: "kie",
  modelId: "seedance-2",
  params: { durationSeconds: 5, resolution: "720p", aspectRatio: "16:9", cameraFixed: false, generateAudio: false },
  cancelStops: false,
  webhooks: kieSigned,
});
describeProviderContract({
  provider: "kie",
  modelId: "motion-control",
  params: { mode: "std", characterOrientation: "image", keepOriginalSound: true },
  cancelStops: false,
  webhooks: kieSigned,
});

describe("kie adapter details", () => {
  const adapter = createKieAdapter({ apiKey: "k" });
  it("removes routes for parameters Kie cannot honour", () => {
    const media = { hasEndFrame: false };
    expect(
      adapter.unsupportedReason("veo-3.1", { durationSeconds: 4, resolution: "720p", generateAudio: true }, media),
    ).toMatch(/8-second/);
    expect(
      adapter.unsupportedReason(
        "veo-3.1",
        { durationSeconds: 8, resolution: "720p", generateAudio: true, seed: 5 },
        media,
      ),
    ).toMatch(/seeds/);
    expect(adapter.unsupportedReason("seedance-2", { seed: 1 }, media)).toMatch(/seed/);
    expect(adapter.unsupportedReason("kling-3", { negativePrompt: "x" }, media)).toMatch(/negative/);
    expect(adapter.unsupportedReason("kling-3", {}, media)).toBeNull();
  });

  it("treats HTTP 200 with code != 200 as a failure", async () => {
    const withStub = createKieAdapter({
      apiKey: "k",
      baseUrl: "https://kie.test",
      fetch: () =>
        Promise.resolve(
          new Response(JSON.stringify({ code: 402, msg: "Insufficient credits", data: null }), { status: 200 }),
        ),
    });
    await expect(withStub.poll("kling-3", "t")).rejects.toMatchObject({
      kind: "quota",
      httpStatus: 200,
      providerCode: "402",
    });
  });
});
