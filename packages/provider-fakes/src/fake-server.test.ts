import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFakeVideo } from "./fake-video";
import { startFakeProviders, type FakeProviders } from "./fake-server";

const run = promisify(execFile);

async function waitFor<T>(read: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("fake providers server", () => {
  let fakes: FakeProviders;
  let videoPath: string;
  const received: Array<{ body: string; headers: Record<string, unknown> }> = [];
  let receiverUrl: string;
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ body, headers: req.headers });
      res.end("ok");
    });
  });

  beforeAll(async () => {
    videoPath = await ensureFakeVideo();
    fakes = await startFakeProviders({ videoPath });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await fakes.stop();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it("serves a real H.264 yuv420p MP4 with the moov atom up front", async () => {
    const { stdout } = await run("ffprobe", [
      "-v",
      "error",
      "-select_streams",
      "v:0",
      "-show_entries",
      "stream=codec_name,pix_fmt,width,height",
      "-of",
      "json",
      videoPath,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      streams: [{ codec_name: "h264", pix_fmt: "yuv420p", width: 320, height: 240 }],
    });
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(videoPath);
    // faststart: moov comes before mdat.
    expect(bytes.indexOf("moov")).toBeLessThan(bytes.indexOf("mdat"));
  });

  it("refuses wrong keys the way each provider does", async () => {
    const statuses = await Promise.all([
      fetch(`${fakes.baseUrls.kling}/v1/videos/image2video/x`, { headers: { authorization: "Bearer not.a.jwt" } }),
      fetch(`${fakes.baseUrls.google}/v1beta/models/m/operations/x`, { headers: { "x-goog-api-key": "wrong" } }),
      fetch(`${fakes.baseUrls.bytedance}/contents/generations/tasks/x`, { headers: { authorization: "Bearer wrong" } }),
      fetch(`${fakes.baseUrls.kie}/api/v1/jobs/recordInfo?taskId=x`, { headers: { authorization: "Bearer wrong" } }),
      fetch(`${fakes.baseUrls.fal}/fal-ai/x/requests/y/status`, { headers: { authorization: "Key wrong" } }),
      fetch(`${fakes.baseUrls.replicate}/v1/predictions/x`, { headers: { authorization: "Bearer wrong" } }),
    ]).then((responses) => responses.map((r) => r.status));
    // Google answers a wrong (not a missing) key with 400 API_KEY_INVALID.
    expect(statuses).toEqual([401, 400, 401, 401, 401, 401]);
  });

  it("records every request with method, path, headers and body", async () => {
    fakes.control.clearRecords();
    const body = JSON.stringify({ model: "m", content: [] });
    await fetch(`${fakes.baseUrls.bytedance}/contents/generations/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${fakes.credentials.bytedance.apiKey}` },
      body,
    });
    expect(fakes.requests).toHaveLength(1);
    expect(fakes.requests[0]).toMatchObject({
      provider: "bytedance",
      method: "POST",
      path: "/bytedance/contents/generations/tasks",
      body,
    });
    expect(fakes.requests[0]!.headers.authorization).toBe(`Bearer ${fakes.credentials.bytedance.apiKey}`);
  });

  it("takes faults through the HTTP control API", async () => {
    await fetch(`${fakes.origin}/__control/faults`, {
      method: "POST",
      body: JSON.stringify({ provider: "replicate", fault: { kind: "rate_limit", retryAfterSeconds: 7, times: 1 } }),
    });
    const limited = await fetch(`${fakes.baseUrls.replicate}/v1/predictions/x`, {
      headers: { authorization: `Bearer ${fakes.credentials.replicate.apiToken}` },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    const after = await fetch(`${fakes.baseUrls.replicate}/v1/predictions/x`, {
      headers: { authorization: `Bearer ${fakes.credentials.replicate.apiToken}` },
    });
    expect(after.status).toBe(404);
    const recorded = (await (await fetch(`${fakes.origin}/__control/requests`)).json()) as unknown[];
    expect(recorded.length).toBeGreaterThan(0);
  });

  it("completes jobs on a timer and sends Kling's unsigned callbacks, reordered on demand", async () => {
    fakes.control.setLifecycle("kling", { completeAfterMs: 20 });
    fakes.control.injectFault("kling", { kind: "out_of_order_webhook", times: 1 });
    const { createHmac } = await import("node:crypto");
    const { accessKey, secretKey } = fakes.credentials.kling;
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ iss: accessKey, exp: now + 1800, nbf: now - 5 })}`;
    const jwt = `${unsigned}.${createHmac("sha256", secretKey).update(unsigned).digest("base64url")}`;
    const response = await fetch(`${fakes.baseUrls.kling}/v1/videos/image2video`, {
      method: "POST",
      headers: { authorization: `Bearer ${jwt}`, "content-type": "application/json" },
      body: JSON.stringify({
        model_name: "kling-v3",
        image: fakes.mediaUrl("photo.png"),
        prompt: "p",
        duration: "5",
        callback_url: receiverUrl,
      }),
    });
    const { data } = (await response.json()) as { data: { task_id: string } };
    const mine = await waitFor(() => {
      const list = received.filter((r) => r.body.includes(data.task_id));
      return list.length >= 2 ? list : undefined;
    }, "two kling callbacks");
    const statuses = mine.map((r) => (JSON.parse(r.body) as { task_status: string }).task_status);
    expect(statuses).toEqual(["succeed", "processing"]);
    expect(mine[0]!.headers["x-webhook-signature"]).toBeUndefined();
    fakes.control.setLifecycle("kling", { completeAfterMs: undefined });
  });

  it("serves Google's outputs only with the key, and ends hung requests on stop", async () => {
    const job = { id: "" };
    const key = { "x-goog-api-key": fakes.credentials.google.apiKey, "content-type": "application/json" };
    const image = { bytesBase64Encoded: Buffer.from("png").toString("base64"), mimeType: "image/png" };
    const op = (await (
      await fetch(`${fakes.baseUrls.google}/v1beta/models/veo:predictLongRunning`, {
        method: "POST",
        headers: key,
        body: JSON.stringify({ instances: [{ prompt: "p", image }] }),
      })
    ).json()) as { name: string };
    job.id = op.name;
    fakes.control.setLifecycle("google", { pollsToComplete: 1 });
    const done = (await (await fetch(`${fakes.baseUrls.google}/v1beta/${op.name}`, { headers: key })).json()) as {
      response: { generateVideoResponse: { generatedSamples: Array<{ video: { uri: string } }> } };
    };
    const uri = done.response.generateVideoResponse.generatedSamples[0]!.video.uri;
    expect((await fetch(uri)).status).toBe(401);
    const ok = await fetch(uri, { headers: { "x-goog-api-key": fakes.credentials.google.apiKey } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("video/mp4");
    const seed = await fetch(`${fakes.baseUrls.google}/v1beta/models/veo:predictLongRunning`, {
      method: "POST",
      headers: key,
      body: JSON.stringify({ instances: [{ prompt: "p", image }], parameters: { seed: 1 } }),
    });
    expect(seed.status).toBe(400);
  });
});
