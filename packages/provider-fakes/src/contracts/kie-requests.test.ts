// Contract: Kie has no official Node SDK, so requests and answers are checked against its docs:
// https://docs.kie.ai/veo3-api/generate-veo-3-video (fields), https://docs.kie.ai/veo3-api/get-veo-3-video-details
// (record-info: successFlag, times as "YYYY-MM-DD HH:mm:ss", errorMessage, fallbackFlag),
// https://docs.kie.ai/veo3-api/generate-veo-3-video-callbacks (callback body),
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
    expect(running.data).toMatchObject({ taskId, successFlag: 0, completeTime: null, response: null, errorCode: null, errorMessage: "", fallbackFlag: false });
    expect(String(running.data.createTime)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(JSON.parse(String(running.data.paramJson))).toMatchObject({ prompt: "a paper boat in the rain" });

    fakes.control.completeJob("kie", taskId);
    const done = await kie("GET", `/api/v1/veo/record-info?taskId=${taskId}`);
    expect(done.data).toMatchObject({ successFlag: 1, response: { taskId, resultUrls: [expect.stringContaining("/outputs/") as unknown], resolution: expect.any(String) as unknown } });
    expect(String(done.data.completeTime)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const [callback] = await receiver.waitFor(1, "/kie-veo");
    expect(JSON.parse(callback!.body)).toMatchObject({ code: 200, msg: expect.any(String) as unknown, data: { taskId, info: { resultUrls: [expect.any(String) as unknown] }, fallbackFlag: false } });
    expect(kieSignatureValid(callback!.headers, taskId)).toBe(true);
    expect(kieSignatureValid(callback!.headers, "another-task")).toBe(false);
  });
});

describe("market tasks", () => {
  const market = [
    { model: "kling-3.0/video", input: { prompt: "p", image_urls: ["https://example.test/a.png"], mode: "pro", duration: "5", aspect_ratio: "16:9", sound: true } },
    { model: "bytedance/seedance-2", input: { prompt: "p", first_frame_url: "https://example.test/a.png", last_frame_url: "https://example.test/b.png", generate_audio: true, resolution: "720p", aspect_ratio: "16:9", duration: 5 } },
    { model: "kling-3.0/motion-control", input: { prompt: "p", input_urls: ["https://example.test/a.png"], video_urls: ["https://example.test/r.mp4"], character_orientation: "video", mode: "720p" } },
  ];

  it.each(market)("creates $model with its documented input and reads recordInfo in the documented shape", async ({ model, input }) => {
    const path = `/kie-market-${model.replace(/\W/g, "-")}`;
    const created = await kie("POST", "/api/v1/jobs/createTask", { model, callBackUrl: receiver.url(path), input });
    expect(created).toMatchObject({ code: 200, data: { taskId: expect.any(String) as unknown } });
    const taskId = String(created.data.taskId);
    const waiting = await kie("GET", `/api/v1/jobs/recordInfo?taskId=${taskId}`);
    expect(waiting).toMatchObject({ code: 200, message: "success" });
    expect(waiting.data).toMatchObject({ taskId, model, state: expect.stringMatching(/^(waiting|queuing)$/) as unknown, resultJson: "", failCode: "", failMsg: "", completeTime: null, createTime: expect.any(Number) as unknown, updateTime: expect.any(Number) as unknown });
    expect(JSON.parse(String(waiting.data.param))).toMatchObject({ model, input });

    fakes.control.completeJob("kie", taskId);
    const done = await kie("GET", `/api/v1/jobs/recordInfo?taskId=${taskId}`);
    expect(done.data).toMatchObject({ state: "success", completeTime: expect.any(Number) as unknown });
    expect(JSON.parse(String(done.data.resultJson))).toMatchObject({ resultUrls: [expect.stringContaining("/outputs/") as unknown] });
    const [callback] = await receiver.waitFor(1, path);
    expect(JSON.parse(callback!.body)).toMatchObject({ code: 200, data: { taskId, state: "success" } });
    expect(kieSignatureValid(callback!.headers, taskId)).toBe(true);
  });

  it("answers an unknown task with code 404 inside HTTP 200", async () => {
    const response = await fetch(`${fakes.baseUrls.kie}/api/v1/jobs/recordInfo?taskId=nope`, { headers: { authorization: `Bearer ${fakes.credentials.kie.apiKey}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ code: 404 });
  });
});
