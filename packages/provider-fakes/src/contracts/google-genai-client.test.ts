// Contract: the official `@google/genai` clients against the Gemini API fake, Veo as
// https://ai.google.dev/gemini-api/docs/video documents it. 2.x (2.32.0, default API version
// v1beta) still drives `models.generateVideos` with an API key (predictLongRunning); 3.x (3.3.0,
// default v1) refuses generateVideos before sending anything unless it talks to Vertex AI, so
// with an API key 3.x can only follow operations. The fake serves both /v1beta and /v1.
// A client left on Google's own host and pointed at the fake through `httpOptions.fetch` (a
// proxy) gets video URIs on that host, so `ai.files.download({file: generatedVideo})` and the
// generic `ai.operations.get` run unchanged. The Gemini API documents no operation list for
// Veo and the SDK has none, so the fake serves none.
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GenerateVideosOperation, GoogleGenAI as GoogleGenAI3 } from "@google/genai";
import { GoogleGenAI as GoogleGenAI2, type GenerateVideosOperation as Operation2 } from "@google/genai-v2";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureFakeVideo, FAKE_PHOTO_PNG } from "../fake-video";
import { startFakeProviders, type FakeProviders } from "../fake-server";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver";

let fakes: FakeProviders;
let receiver: WebhookReceiver;
beforeAll(async () => {
  fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.stop();
  await fakes.stop();
});
beforeEach(() => {
  fakes.control.setLifecycle("google", { queuedPolls: 1, pollsToComplete: 3 });
});

const model = "veo-3.1-generate-preview";
const image = { imageBytes: FAKE_PHOTO_PNG.toString("base64"), mimeType: "image/png" };
const v2 = (apiVersion?: string) =>
  new GoogleGenAI2({
    apiKey: fakes.credentials.google.apiKey,
    httpOptions: { baseUrl: fakes.baseUrls.google, ...(apiVersion ? { apiVersion } : {}) },
  });

async function untilDone(ai: GoogleGenAI2, operation: Operation2): Promise<Operation2> {
  let current = operation;
  while (!current.done) current = await ai.operations.getVideosOperation({ operation: current });
  return current;
}

describe("@google/genai 2.x with an API key", () => {
  it("generates videos with every Gemini API config field (numberOfVideos → sampleCount) and follows the operation", async () => {
    const ai = v2();
    const operation = await ai.models.generateVideos({
      model,
      source: { prompt: "a lighthouse at dusk", image },
      config: {
        numberOfVideos: 2,
        durationSeconds: 8,
        aspectRatio: "16:9",
        resolution: "1080p",
        negativePrompt: "blur",
        personGeneration: "allow_adult",
        enhancePrompt: true,
        lastFrame: image,
      },
    });
    expect(operation.name).toMatch(new RegExp(`^models/${model}/operations/`));
    const sent = fakes.requests.filter((r) => r.provider === "google" && r.method === "POST").at(-1)!;
    expect(sent.path).toBe(`/google/v1beta/models/${model}:predictLongRunning`);
    expect(JSON.parse(sent.body)).toMatchObject({
      instances: [
        {
          prompt: "a lighthouse at dusk",
          image: { bytesBase64Encoded: image.imageBytes, mimeType: "image/png" },
          lastFrame: { mimeType: "image/png" },
        },
      ],
      parameters: {
        sampleCount: 2,
        durationSeconds: 8,
        aspectRatio: "16:9",
        resolution: "1080p",
        personGeneration: "allow_adult",
      },
    });

    const done = await untilDone(ai, operation);
    expect(done.error).toBeUndefined();
    expect(done.response?.generatedVideos).toHaveLength(2);
    const uri = done.response!.generatedVideos![0]!.video!.uri!;
    expect(uri).toContain("/v1beta/files/");

    // files.download takes the file name (it extracts one from a URI only for https URIs).
    const target = join(tmpdir(), `veo-${Date.now()}.mp4`);
    await ai.files.download({ file: `files/${/files\/([^/:]+):download/.exec(uri)![1]!}`, downloadPath: target });
    const bytes = await readFile(target);
    expect(bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
    await rm(target);
  });

  it("speaks /v1 too when the client is set to it", async () => {
    const ai = v2("v1");
    const operation = await ai.models.generateVideos({ model, source: { prompt: "v1 please", image } });
    const done = await untilDone(ai, operation);
    expect(done.response?.generatedVideos?.[0]?.video?.uri).toContain("/v1/files/");
    expect(
      fakes.requests.filter((r) => r.path.startsWith(`/google/v1/models/${model}/operations/`)).length,
    ).toBeGreaterThan(0);
  });

  it("reports safety filtering as the client's raiMediaFilteredCount/Reasons", async () => {
    const ai = v2();
    const done = await untilDone(
      ai,
      await ai.models.generateVideos({ model, source: { prompt: "flag me [fake:moderation]", image } }),
    );
    expect(done.response).toMatchObject({
      raiMediaFilteredCount: 1,
      raiMediaFilteredReasons: [expect.stringContaining("safety") as unknown],
    });
    expect(done.response?.generatedVideos).toBeUndefined();
  });

  it("refuses Vertex-only fields in the client, and the fake refuses them on the wire too", async () => {
    const ai = v2();
    await expect(
      ai.models.generateVideos({ model, source: { prompt: "x", image }, config: { seed: 3 } }),
    ).rejects.toThrow(/only supported in Gemini Enterprise|Vertex/);
    const raw = await fetch(`${fakes.baseUrls.google}/v1beta/models/${model}:predictLongRunning`, {
      method: "POST",
      headers: { "x-goog-api-key": fakes.credentials.google.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ instances: [{ prompt: "x" }], parameters: { generateAudio: true } }),
    });
    expect(raw.status).toBe(400);
    const unknown = await fetch(`${fakes.baseUrls.google}/v1beta/models/${model}:predictLongRunning`, {
      method: "POST",
      headers: { "x-goog-api-key": fakes.credentials.google.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ instances: [{ prompt: "x", colour: "red" }] }),
    });
    expect(unknown.status).toBe(400);
  });

  it("posts video.generated to webhookConfig.uris, signed per Standard Webhooks, with the userMetadata", async () => {
    const ai = v2();
    const operation = await ai.models.generateVideos({
      model,
      source: { prompt: "hook me", image },
      config: { webhookConfig: { uris: [receiver.url("/gemini")], userMetadata: { generationId: "gen_42" } } },
    });
    fakes.control.completeJob("google", operation.name!.split("/").at(-1)!);
    const [event] = await receiver.waitFor(1, "/gemini");
    const body = new Webhook(fakes.credentials.google.webhookSecret).verify(
      event!.body,
      event!.headers as Record<string, string>,
    );
    expect(body).toMatchObject({
      type: "video.generated",
      data: {
        name: operation.name,
        done: true,
        userMetadata: { generationId: "gen_42" },
        response: { generateVideoResponse: { generatedSamples: [{ video: { uri: expect.any(String) as unknown } }] } },
      },
    });
  });
});

describe("@google/genai 3.x with an API key", () => {
  it("refuses generateVideos before sending anything (Vertex AI only), but follows a Veo operation on /v1", async () => {
    const ai3 = new GoogleGenAI3({
      apiKey: fakes.credentials.google.apiKey,
      httpOptions: { baseUrl: fakes.baseUrls.google },
    });
    const before = fakes.requests.length;
    await expect(ai3.models.generateVideos({ model, source: { prompt: "3.x", image } })).rejects.toThrow(
      /only supported by the Gemini Enterprise Agent Platform/,
    );
    expect(fakes.requests.length).toBe(before);

    const created = await v2().models.generateVideos({ model, source: { prompt: "made by 2.x", image } });
    let operation = new GenerateVideosOperation();
    operation.name = created.name;
    while (!operation.done) operation = await ai3.operations.getVideosOperation({ operation });
    expect(operation.response?.generatedVideos?.[0]?.video?.uri).toContain("/v1/files/");
    expect(fakes.requests.at(-1)!.path).toMatch(/^\/google\/v1\/models\//);
  });
});

describe("following and downloading as a user of the SDK would", () => {
  const googleHost = "https://generativelanguage.googleapis.com";
  /** A proxy in front of the fake: Google's host goes to the fake, which learns the public origin. */
  const viaProxy: typeof fetch = (input, init) => {
    const url = (typeof input === "string" ? input : input instanceof URL ? input.href : input.url).replace(
      googleHost,
      fakes.baseUrls.google,
    );
    const headers = new Headers(init?.headers);
    headers.set("x-forwarded-host", "generativelanguage.googleapis.com");
    headers.set("x-forwarded-proto", "https");
    return fetch(url, { ...init, headers });
  };

  it("follows the operation with operations.get and downloads the generated video itself with files.download", async () => {
    const ai = new GoogleGenAI2({ apiKey: fakes.credentials.google.apiKey, httpOptions: { fetch: viaProxy } });
    let operation = await ai.models.generateVideos({ model, source: { prompt: "download me", image } });
    while (!operation.done) operation = await ai.operations.get({ operation });
    const video = operation.response!.generatedVideos![0]!;
    expect(video.video!.uri).toMatch(new RegExp(`^${googleHost}/v1beta/files/[a-z0-9]+:download\\?alt=media$`));

    const target = join(tmpdir(), `veo-sdk-${Date.now()}.mp4`);
    await ai.files.download({ file: video, downloadPath: target });
    const bytes = await readFile(target);
    expect(bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
    await rm(target);
    const download = fakes.requests.filter((r) => r.path.includes(":download")).at(-1)!;
    expect(download.headers["x-goog-api-key"]).toBe(fakes.credentials.google.apiKey);
  });

  it("lets 3.x (which cannot create) follow and download a video made through 2.x, unchanged", async () => {
    const created = await new GoogleGenAI2({
      apiKey: fakes.credentials.google.apiKey,
      httpOptions: { fetch: viaProxy },
    }).models.generateVideos({ model, source: { prompt: "made by 2.x", image } });
    const ai3 = new GoogleGenAI3({ apiKey: fakes.credentials.google.apiKey, httpOptions: { fetch: viaProxy } });
    let operation = new GenerateVideosOperation();
    operation.name = created.name;
    while (!operation.done) operation = await ai3.operations.get({ operation });
    const target = join(tmpdir(), `veo-sdk3-${Date.now()}.mp4`);
    await ai3.files.download({ file: operation.response!.generatedVideos![0]!, downloadPath: target });
    expect((await readFile(target)).subarray(4, 8).toString("latin1")).toBe("ftyp");
    await rm(target);
    expect(fakes.requests.filter((r) => r.path.includes(":download")).at(-1)!.path).toMatch(/^\/google\/v1\/files\//);
  });

  it("serves a video URI only with the key", async () => {
    const ai = v2();
    let operation = await ai.models.generateVideos({ model, source: { prompt: "keyed", image } });
    while (!operation.done) operation = await ai.operations.get({ operation });
    const uri = operation.response!.generatedVideos![0]!.video!.uri!;
    expect((await fetch(uri)).status).toBe(401);
    expect((await fetch(uri, { headers: { "x-goog-api-key": "wrong" } })).status).toBe(400);
    const keyed = await fetch(uri, { headers: { "x-goog-api-key": fakes.credentials.google.apiKey } });
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get("content-type")).toBe("video/mp4");
  });
});
