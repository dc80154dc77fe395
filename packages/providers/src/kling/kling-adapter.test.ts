import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeProviders } from "@animateimg/provider-fakes";
import { createKlingAdapter, createKlingJwt } from "./kling-adapter";
import { fakeAdapter, startFakes, submitRequestFor } from "../testing/fake-harness";
import { describeProviderContract } from "../testing/provider-contract";

describeProviderContract({
  provider: "kling",
  modelId: "kling-3",
  params: { mode: "std", durationSeconds: 5, generateAudio: true },
  cancelStops: false,
  webhooks: { mode: "unsigned" },
});

describeProviderContract({
  provider: "kling",
  modelId: "motion-control",
  params: { mode: "pro", characterOrientation: "video", keepOriginalSound: true },
  cancelStops: false,
  webhooks: { mode: "unsigned" },
});

describe("kling adapter details", () => {
  it("signs a JWT with iss, exp = now + 1800 and nbf = now - 5", () => {
    const token = createKlingJwt("ak", "sk", 1_000_000);
    const [header, payload] = token
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown);
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toEqual({ iss: "ak", exp: 1_001_800, nbf: 999_995 });
  });

  it("removes itself for sound only when configured without it, and for models it does not serve", () => {
    const adapter = createKlingAdapter({ baseUrl: "http://unused", accessKey: "a", secretKey: "s" });
    expect(adapter.unsupportedReason("kling-3", { generateAudio: true }, { hasEndFrame: true })).toBeNull();
    const silent = createKlingAdapter({
      baseUrl: "http://unused",
      accessKey: "a",
      secretKey: "s",
      supportsSound: false,
    });
    expect(silent.unsupportedReason("kling-3", { generateAudio: true }, { hasEndFrame: false })).not.toBeNull();
    expect(adapter.unsupportedReason("veo-3.1", {}, { hasEndFrame: false })).not.toBeNull();
  });

  it("sends the duration as a string, the end frame as image_tail and no aspect ratio", async () => {
    const bodies: unknown[] = [];
    const adapter = createKlingAdapter({
      baseUrl: "http://kling.test",
      auth: () => "Bearer test",
      fetch: (_url, init) => {
        bodies.push(JSON.parse(init?.body as string));
        return Promise.resolve(new Response(JSON.stringify({ code: 0, data: { task_id: "t1" } })));
      },
    });
    await adapter.submit({
      generationId: "g1",
      attempt: 2,
      modelId: "kling-3",
      prompt: "p",
      params: { mode: "pro", durationSeconds: 10, generateAudio: false, negativePrompt: "blur" },
      media: { imageUrl: "https://img/1", imageMimeType: "image/png", endFrameUrl: "https://img/2" },
    });
    expect(bodies[0]).toEqual({
      model_name: "kling-v3",
      image: "https://img/1",
      image_tail: "https://img/2",
      prompt: "p",
      negative_prompt: "blur",
      mode: "pro",
      duration: "10",
      sound: "off",
      external_task_id: "g1-2",
    });
  });
});

describe("kling submit is safe to retry", () => {
  let fakes: FakeProviders;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(async () => {
    await fakes.stop();
  });

  it("finds the task by external_task_id when the answer is lost, and on a repeated submit", async () => {
    const adapter = fakeAdapter(fakes, "kling");
    const request = submitRequestFor(
      fakes,
      "kling-3",
      { mode: "std", durationSeconds: 5, generateAudio: false },
      { generationId: "5b0c7d1e-0000-4000-8000-00000000abcd" },
    );
    expect(await adapter.findJob!(request)).toBeUndefined();
    fakes.control.injectFault("kling", { kind: "lost_response", on: "submit", times: 1 });
    // The task was created, the answer lost: the caller looks it up by our id before resubmitting.
    await expect(adapter.submit(request)).rejects.toMatchObject({ kind: "transient" });
    const jobs = fakes.control.jobs("kling");
    expect(jobs).toHaveLength(1);
    const found = await adapter.findJob!(request);
    expect(found).toBe(jobs[0]!.id);
    // A resubmit anyway (two workers racing): Kling refuses the reused external id; we find the task.
    expect(await adapter.submit(request)).toEqual({ providerJobId: found });
    expect(fakes.control.jobs("kling")).toHaveLength(1);
  });
});
