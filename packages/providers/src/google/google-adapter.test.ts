import { describe, expect, it } from "vitest";
import { createGoogleAdapter } from "./google-adapter";
import { describeProviderContract, tenMinutesAgo, withHeaders } from "../testing/provider-contract";

describeProviderContract({
  provider: "google",
  modelId: "veo-3.1",
  params: { durationSeconds: 8, aspectRatio: "16:9", resolution: "1080p", generateAudio: true },
  cancelStops: false,
  noQueuedState: true,
  // Gemini's RESOURCE_EXHAUSTED covers both rate and quota: we wait and retry either way.
  quotaKind: "rate_limited",
  // Gemini API webhooks (Standard Webhooks), verified with our secret.
  webhooks: {
    mode: "signed",
    verifiedStatus: true,
    forged: (d: { headers: Headers; rawBody: string }) => ({
      headers: d.headers,
      rawBody: d.rawBody.replace('"done":true', '"done":false') + " ",
    }),
    stale: (fakes, d) => ({
      headers: withHeaders(d, fakes.sign.google(d.headers.get("webhook-id") ?? "", d.rawBody, tenMinutesAgo())),
      rawBody: d.rawBody,
    }),
  },
});

describe("google adapter details", () => {
  const adapter = createGoogleAdapter({ apiKey: "k" });

  it("removes itself for a seed or for silent video (the Gemini API has neither)", () => {
    expect(adapter.unsupportedReason("veo-3.1", { seed: 7, generateAudio: true }, { hasEndFrame: false })).toMatch(
      /seed/,
    );
    expect(adapter.unsupportedReason("veo-3.1", { generateAudio: false }, { hasEndFrame: false })).toMatch(/sound/);
    expect(adapter.unsupportedReason("veo-3.1", { generateAudio: true }, { hasEndFrame: true })).toBeNull();
  });

  it("hands its key only to its own host for downloads", () => {
    const local = createGoogleAdapter({ apiKey: "k", baseUrl: "https://gl.test" });
    expect(local.downloadHeaders?.("https://gl.test/v1beta/files/a:download?alt=media")).toEqual({
      "x-goog-api-key": "k",
    });
    expect(local.downloadHeaders?.("https://elsewhere.test/a.mp4")).toEqual({});
  });

  it("inlines the image as base64 and sends the end frame as lastFrame", async () => {
    const sent: Array<{ url: string; body: unknown }> = [];
    const png = Buffer.from([1, 2, 3, 4]);
    const fetchStub = (url: string | URL, init?: RequestInit) => {
      if (String(url).startsWith("https://media.test/"))
        return Promise.resolve(new Response(png, { headers: { "content-type": "image/png" } }));
      sent.push({ url: String(url), body: JSON.parse(init?.body as string) });
      return Promise.resolve(new Response(JSON.stringify({ name: "models/veo/operations/op1" })));
    };
    const withStub = createGoogleAdapter({ apiKey: "k", baseUrl: "https://gl.test", fetch: fetchStub });
    const result = await withStub.submit({
      generationId: "g",
      attempt: 1,
      modelId: "veo-3.1",
      prompt: "p",
      params: {
        durationSeconds: 6,
        aspectRatio: "9:16",
        resolution: "720p",
        generateAudio: true,
        negativePrompt: "text",
      },
      media: { imageUrl: "https://media.test/a", imageMimeType: "image/png", endFrameUrl: "https://media.test/b" },
    });
    expect(result.providerJobId).toBe("models/veo/operations/op1");
    expect(sent[0]!.url).toBe("https://gl.test/v1beta/models/veo-3.1-generate-preview:predictLongRunning");
    expect(sent[0]!.body).toEqual({
      instances: [
        {
          prompt: "p",
          image: { bytesBase64Encoded: png.toString("base64"), mimeType: "image/png" },
          lastFrame: { bytesBase64Encoded: png.toString("base64"), mimeType: "image/png" },
        },
      ],
      parameters: {
        aspectRatio: "9:16",
        durationSeconds: 6,
        resolution: "720p",
        negativePrompt: "text",
        personGeneration: "allow_adult",
      },
    });
  });
});

describe("google image inlining", () => {
  it("reports an unreadable image URL of ours as transient, a huge one as invalid input", async () => {
    const failing = createGoogleAdapter({
      apiKey: "k",
      fetch: () => Promise.resolve(new Response("gone", { status: 403 })),
    });
    const request = {
      generationId: "g",
      attempt: 1,
      modelId: "veo-3.1" as const,
      prompt: "p",
      params: { durationSeconds: 8, aspectRatio: "16:9", resolution: "720p", generateAudio: true },
      media: { imageUrl: "https://media.test/a", imageMimeType: "image/png" },
    };
    await expect(failing.submit(request)).rejects.toMatchObject({ kind: "transient" });
    const huge = createGoogleAdapter({
      apiKey: "k",
      maxImageBytes: 3,
      fetch: () => Promise.resolve(new Response(Buffer.alloc(10))),
    });
    await expect(huge.submit(request)).rejects.toMatchObject({ kind: "invalid_input" });
  });
});
