// Contract: Kie has no official Node SDK, so requests and answers are checked against its docs:
// https://docs.kie.ai/veo3-api/generate-veo-3-video (fields), https://docs.kie.ai/veo3-api/get-veo-3-video-details
// (record-info: successFlag, times as "YYYY-MM-DD HH:mm:ss", errorMessage, fallbackFlag),
// https://docs.kie.ai/veo3-api/generate-veo-3-video-callbacks (callback body), "Get 1080P Video"
// (GET /api/v1/veo/get-1080p-video), https://docs.kie.ai/market/kling/kling-3.0 (input fields and
// their values), the Common API's "Get Remaining Credits" (GET /api/v1/chat/credit),
// https://docs.kie.ai/market/common/get-task-detail (recordInfo: {code, message, data} with epoch-ms
// createTime/completeTime/updateTime) and the webhook verification guide
// (X-Webhook-Timestamp, X-Webhook-Signature = base64 HMAC-SHA256 of `${taskId}.${timestamp}`).
import { createHmac, timingSafeEqual } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFakeVideo } from "../fake-video";
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

async function kie(method: string, path: string, body?: unknown) {
  const response = await fetch(`${fakes.baseUrls.kie}${path}`, {
    method,
    headers: { authorization: `Bearer ${fakes.credentials.kie.apiKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as { code: number; msg?: string; message?: string; data: Record<string, unknown> };
}

/** What the verification guide tells a receiver to do. */
function kieSignatureValid(headers: Record<string, unknown>, taskId: string): boolean {
  const timestamp = String(headers["x-webhook-timestamp"]);
  const expected = createHmac("sha256", fakes.credentials.kie.webhookHmacKey).update(`${taskId}.${timestamp}`).digest();
  const given = Buffer.from(String(headers["x-webhook-signature"]), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("Veo 3.1 through Kie", () => {
  it("accepts every documented generate field and answers record-info in the documented shape", async () => {
    const created = await kie("POST", "/api/v1/veo/generate", {
      prompt: "a paper boat in the rain",
      imageUrls: [fakes.mediaUrl("photo.png"), fakes.mediaUrl("end.png")],
      model: "veo3_fast",
      generationType: "FIRST_AND_LAST_FRAMES_2_VIDEO",
      aspectRatio: "16:9",
      seeds: 12345,
      callBackUrl: receiver.url("/kie-veo"),
      enableTranslation: true,
      watermark: "",
    });
    expect(created).toMatchObject({ code: 200, msg: "success", data: { taskId: expect.any(String) as unknown } });
    const taskId = String(created.data.taskId);

    const running = await kie("GET", `/api/v1/veo/record-info?taskId=${taskId}`);
    expect(running.data).toMatchObject({
      taskId,
      successFlag: 0,
      completeTime: null,
      response: null,
      errorCode: null,
      errorMessage: "",
      fallbackFlag: false,
    });
    expect(String(running.data.createTime)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(JSON.parse(String(running.data.paramJson))).toMatchObject({ prompt: "a paper boat in the rain" });

    fakes.control.completeJob("kie", taskId);
    const done = await kie("GET", `/api/v1/veo/record-info?taskId=${taskId}`);
    expect(done.data).toMatchObject({
      successFlag: 1,
      response: {
        taskId,
        resultUrls: [expect.stringContaining("/outputs/") as unknown],
        resolution: expect.any(String) as unknown,
      },
    });
    expect(String(done.data.completeTime)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const [callback] = await receiver.waitFor(1, "/kie-veo");
    expect(JSON.parse(callback!.body)).toMatchObject({
      code: 200,
      msg: expect.any(String) as unknown,
      data: { taskId, info: { resultUrls: [expect.any(String) as unknown] }, fallbackFlag: false },
    });
    expect(kieSignatureValid(callback!.headers, taskId)).toBe(true);
    expect(kieSignatureValid(callback!.headers, "another-task")).toBe(false);
  });
});

describe("Veo 3.1 through Kie: the other documented modes and calls", () => {
  it("accepts text-to-video with only a prompt (model defaults to veo3_fast) and reference-to-video on veo3_fast", async () => {
    const text = await kie("POST", "/api/v1/veo/generate", { prompt: "a quiet harbour at dawn" });
    expect(text).toMatchObject({ code: 200, data: { taskId: expect.any(String) as unknown } });
    expect(fakes.control.jobs("kie").find((j) => j.id === text.data.taskId)?.model).toBe("veo3_fast");
    const reference = await kie("POST", "/api/v1/veo/generate", {
      prompt: "the two of them on a beach",
      imageUrls: [fakes.mediaUrl("photo.png"), fakes.mediaUrl("end.png"), fakes.mediaUrl("photo.png")],
      model: "veo3_fast",
      generationType: "REFERENCE_2_VIDEO",
      aspectRatio: "9:16",
      enableFallback: false,
    });
    expect(reference.code).toBe(200);
    const auto = await kie("POST", "/api/v1/veo/generate", {
      prompt: "auto ratio",
      imageUrls: [fakes.mediaUrl("photo.png")],
      aspectRatio: "Auto",
      model: "veo3",
    });
    expect(auto.code).toBe(200);
  });

  it("refuses what the generate page rules out, with code 422 in the envelope", async () => {
    const refusals = await Promise.all([
      kie("POST", "/api/v1/veo/generate", { prompt: "x", model: "veo2" }),
      kie("POST", "/api/v1/veo/generate", {
        prompt: "x",
        generationType: "REFERENCE_2_VIDEO",
        model: "veo3",
        imageUrls: [fakes.mediaUrl("photo.png")],
      }),
      kie("POST", "/api/v1/veo/generate", {
        prompt: "x",
        imageUrls: [fakes.mediaUrl("photo.png")],
        aspectRatio: "1:1",
      }),
      kie("POST", "/api/v1/veo/generate", { prompt: "x", seeds: 12 }),
      kie("POST", "/api/v1/veo/generate", {
        prompt: "x",
        generationType: "TEXT_2_VIDEO",
        imageUrls: [fakes.mediaUrl("photo.png")],
      }),
      kie("POST", "/api/v1/veo/generate", { imageUrls: [fakes.mediaUrl("photo.png")] }),
    ]);
    expect(refusals.map((r) => r.code)).toEqual([422, 422, 422, 422, 422, 422]);
  });

  it("serves the 1080P version of a finished task and the account's remaining credits", async () => {
    const created = await kie("POST", "/api/v1/veo/generate", {
      prompt: "in HD",
      imageUrls: [fakes.mediaUrl("photo.png")],
      aspectRatio: "16:9",
    });
    const taskId = String(created.data.taskId);
    expect((await kie("GET", `/api/v1/veo/get-1080p-video?taskId=${taskId}&index=0`)).code).toBe(400);
    fakes.control.completeJob("kie", taskId);
    const hd = await kie("GET", `/api/v1/veo/get-1080p-video?taskId=${taskId}&index=0`);
    expect(hd).toMatchObject({
      code: 200,
      msg: "success",
      data: { resultUrl: expect.stringContaining("/outputs/") as unknown },
    });
    const credits = await kie("GET", "/api/v1/chat/credit");
    expect(credits).toMatchObject({ code: 200, msg: "success", data: expect.any(Number) as unknown });
  });
});

describe("market tasks", () => {
  const market = [
    {
      model: "kling-3.0/video",
      input: {
        prompt: "p",
        image_urls: ["https://example.test/a.png"],
        mode: "pro",
        duration: "5",
        aspect_ratio: "16:9",
        sound: true,
      },
    },
    {
      model: "bytedance/seedance-2",
      input: {
        prompt: "p",
        first_frame_url: "https://example.test/a.png",
        last_frame_url: "https://example.test/b.png",
        generate_audio: true,
        resolution: "720p",
        aspect_ratio: "16:9",
        duration: 5,
      },
    },
    {
      model: "kling-3.0/motion-control",
      input: {
        prompt: "p",
        input_urls: ["https://example.test/a.png"],
        video_urls: ["https://example.test/r.mp4"],
        character_orientation: "video",
        mode: "720p",
      },
    },
  ];

  it.each(market)(
    "creates $model with its documented input and reads recordInfo in the documented shape",
    async ({ model, input }) => {
      const path = `/kie-market-${model.replace(/\W/g, "-")}`;
      const created = await kie("POST", "/api/v1/jobs/createTask", { model, callBackUrl: receiver.url(path), input });
      expect(created).toMatchObject({ code: 200, data: { taskId: expect.any(String) as unknown } });
      const taskId = String(created.data.taskId);
      const waiting = await kie("GET", `/api/v1/jobs/recordInfo?taskId=${taskId}`);
      expect(waiting).toMatchObject({ code: 200, message: "success" });
      expect(waiting.data).toMatchObject({
        taskId,
        model,
        state: expect.stringMatching(/^(waiting|queuing)$/) as unknown,
        resultJson: "",
        failCode: "",
        failMsg: "",
        completeTime: null,
        createTime: expect.any(Number) as unknown,
        updateTime: expect.any(Number) as unknown,
      });
      expect(JSON.parse(String(waiting.data.param))).toMatchObject({ model, input });

      fakes.control.completeJob("kie", taskId);
      const done = await kie("GET", `/api/v1/jobs/recordInfo?taskId=${taskId}`);
      expect(done.data).toMatchObject({ state: "success", completeTime: expect.any(Number) as unknown });
      expect(JSON.parse(String(done.data.resultJson))).toMatchObject({
        resultUrls: [expect.stringContaining("/outputs/") as unknown],
      });
      const [callback] = await receiver.waitFor(1, path);
      expect(JSON.parse(callback!.body)).toMatchObject({ code: 200, data: { taskId, state: "success" } });
      expect(kieSignatureValid(callback!.headers, taskId)).toBe(true);
    },
  );

  it("accepts kling-3.0/video's multi-shot and element fields and refuses values its page rules out", async () => {
    const multi = await kie("POST", "/api/v1/jobs/createTask", {
      model: "kling-3.0/video",
      input: {
        multi_shots: true,
        image_urls: [fakes.mediaUrl("photo.png")],
        duration: "6",
        aspect_ratio: "1:1",
        mode: "std",
        sound: false,
        multi_prompt: [
          { prompt: "a dog running @element_dog", duration: 3 },
          { prompt: "the dog sits", duration: 3 },
        ],
        kling_elements: [
          { name: "element_dog", description: "dog", element_input_urls: [fakes.mediaUrl("photo.png")] },
        ],
      },
    });
    expect(multi.code).toBe(200);
    const refused = await Promise.all(
      [
        { mode: "ultra" },
        { aspect_ratio: "4:3" },
        { duration: "16" },
        { duration: 5 },
        { sound: "on" },
        { image_urls: ["a", "b", "c"] },
        { multi_shots: true },
      ].map((bad) =>
        kie("POST", "/api/v1/jobs/createTask", { model: "kling-3.0/video", input: { prompt: "p", ...bad } }),
      ),
    );
    expect(refused.map((r) => r.code)).toEqual([422, 422, 422, 422, 422, 422, 422]);
  });

  it("answers an unknown task with code 404 inside HTTP 200", async () => {
    const response = await fetch(`${fakes.baseUrls.kie}/api/v1/jobs/recordInfo?taskId=nope`, {
      headers: { authorization: `Bearer ${fakes.credentials.kie.apiKey}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ code: 404 });
  });
});
