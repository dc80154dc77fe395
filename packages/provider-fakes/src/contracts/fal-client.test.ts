// Contract: the official `@fal-ai/client` (npm, 1.10.1) against the fal fake, pointed at it by
// rewriting https://queue.fal.run/…, https://fal.run/… and https://rest.fal.ai/… (what a proxy
// would do). Calls as a user of https://docs.fal.ai/model-apis/model-endpoints/queue makes them:
// submit (with a webhook), status with and without logs, the status stream, subscribe (polling
// and streaming), result (its request id read from `x-fal-request-id`), cancel, and validation
// errors; the synchronous `fal.run`, `fal.stream` on a video endpoint (which has no /stream
// route) and `fal.storage.upload` (https://docs.fal.ai/documentation/model-apis/fal-cdn), also as
// the client's automatic upload of a Blob input.
import { ApiError, createFalClient, ValidationError, type QueueStatus } from "@fal-ai/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureFakeVideo, FAKE_PHOTO_PNG } from "../fake-video";
import { startFakeProviders, type FakeProviders } from "../fake-server";

let fakes: FakeProviders;
let fal: ReturnType<typeof createFalClient>;
beforeAll(async () => {
  fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
  fal = createFalClient({
    credentials: fakes.credentials.fal.apiKey,
    requestMiddleware: (request) =>
      Promise.resolve({
        ...request,
        url: request.url
          .replace("https://queue.fal.run", fakes.falHosts.queue)
          .replace("https://fal.run", fakes.falHosts.run)
          .replace("https://rest.fal.ai", fakes.falHosts.rest),
      }),
  });
});
afterAll(async () => {
  await fakes.stop();
});
beforeEach(() => {
  fakes.control.setLifecycle("fal", { queuedPolls: 1, pollsToComplete: 3 });
  fakes.control.clearFaults();
});

const endpoint = "fal-ai/kling-video/v3/standard/image-to-video";
const input = (prompt: string) => ({
  prompt,
  start_image_url: "https://example.test/photo.png",
  duration: "5" as const,
});

describe("queue", () => {
  it("submits, reads status with logs, and fetches the result with its request id", async () => {
    const submitted = await fal.queue.submit(endpoint, {
      input: input("submit"),
      webhookUrl: "https://example.test/fal-hook",
    });
    expect(submitted).toMatchObject({
      request_id: expect.any(String) as unknown,
      response_url: expect.stringContaining(`/fal-ai/kling-video/requests/${submitted.request_id}`) as unknown,
      status_url: expect.stringMatching(/\/status$/) as unknown,
      cancel_url: expect.stringMatching(/\/cancel$/) as unknown,
    });
    const sent = fakes.requests.filter((r) => r.provider === "fal" && r.method === "POST").at(-1)!;
    expect(sent.path).toContain(`?fal_webhook=${encodeURIComponent("https://example.test/fal-hook")}`);
    expect(sent.headers["x-fal-queue-priority"]).toBe("normal");

    const queued = await fal.queue.status(endpoint, { requestId: submitted.request_id, logs: true });
    expect(queued).toMatchObject({ status: "IN_QUEUE", queue_position: 0, request_id: submitted.request_id });
    const running = (await fal.queue.status(endpoint, {
      requestId: submitted.request_id,
      logs: true,
    })) as QueueStatus & { logs: Array<{ message: string }> };
    expect(running.status).toBe("IN_PROGRESS");
    expect(running.logs[0]).toMatchObject({
      message: expect.stringMatching(/\d+%/) as unknown,
      level: "INFO",
      source: "USER",
    });
    const completed = await fal.queue.status(endpoint, { requestId: submitted.request_id, logs: false });
    expect(completed).toMatchObject({
      status: "COMPLETED",
      logs: null,
      metrics: { inference_time: expect.any(Number) as unknown },
    });

    const result = await fal.queue.result(endpoint, { requestId: submitted.request_id });
    expect(result.requestId).toBe(submitted.request_id);
    expect(result.data).toMatchObject({
      video: { url: expect.stringContaining("/outputs/") as unknown, content_type: "video/mp4" },
    });
  });

  it("subscribes by polling: onEnqueue, queue updates, then the result", async () => {
    const updates: string[] = [];
    let enqueued = "";
    const result = await fal.subscribe(endpoint, {
      input: input("subscribe polling"),
      pollInterval: 10,
      logs: true,
      onEnqueue: (id) => (enqueued = id),
      onQueueUpdate: (status) => updates.push(status.status),
    });
    expect(result.requestId).toBe(enqueued);
    expect(updates).toEqual(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    expect(result.data).toMatchObject({ video: { url: expect.stringContaining("/outputs/") as unknown } });
  });

  it("streams the status (server-sent events) until COMPLETED, in subscribe's streaming mode too", async () => {
    const { request_id } = await fal.queue.submit(endpoint, { input: input("stream") });
    const stream = await fal.queue.streamStatus(endpoint, { requestId: request_id, logs: true });
    const seen: string[] = [];
    stream.on("data", (status: QueueStatus) => seen.push(status.status));
    const last = await stream.done();
    expect(last).toMatchObject({ status: "COMPLETED", request_id });
    expect(seen).toEqual(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    const streamed = fakes.requests.filter((r) => r.path.includes(`/requests/${request_id}/status/stream`));
    expect(streamed[0]!.headers.accept).toContain("text/event-stream");

    const updates: string[] = [];
    const result = await fal.subscribe(endpoint, {
      input: input("subscribe streaming"),
      mode: "streaming",
      onQueueUpdate: (status) => updates.push(status.status),
    });
    expect(updates).toEqual(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    expect(result.data).toMatchObject({ video: { url: expect.stringContaining("/outputs/") as unknown } });
  });

  it("cancels a queued request; a finished one answers ALREADY_COMPLETED (400)", async () => {
    const { request_id } = await fal.queue.submit(endpoint, { input: input("cancel") });
    await fal.queue.cancel(endpoint, { requestId: request_id });
    expect(fakes.control.jobs("fal").find((j) => j.id === request_id)?.outcome).toBe("canceled");
    const again = await fal.queue.cancel(endpoint, { requestId: request_id }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ApiError);
    expect(again).toMatchObject({ status: 400, body: { status: "ALREADY_COMPLETED" }, requestId: request_id });
    const missing = await fal.queue.status(endpoint, { requestId: "no-such-request" }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });
  });

  it("surfaces a moderated result as the client's ValidationError with field errors", async () => {
    const error = await fal
      .subscribe(endpoint, { input: input("flag me [fake:moderation]"), pollInterval: 10 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors[0]).toMatchObject({
      type: "content_policy_violation",
      loc: ["body", "prompt"],
    });
  });
});

describe("synchronous run, stream and storage", () => {
  it("runs an endpoint synchronously with fal.run: the answer is the output, its id in x-fal-request-id", async () => {
    const result = await fal.run(endpoint, { input: input("sync run") });
    expect(result.requestId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(result.data).toMatchObject({
      video: { url: expect.stringContaining("/outputs/") as unknown, content_type: "video/mp4" },
    });
    const sent = fakes.requests.filter((r) => r.provider === "fal" && r.method === "POST").at(-1)!;
    expect(sent.path).toBe(`/fal/.run/${endpoint}`);
    // A synchronous request is not in the queue: status and result do not know it.
    expect(await fal.queue.status(endpoint, { requestId: result.requestId }).catch((e: unknown) => e)).toMatchObject({
      status: 404,
    });

    const refused = await fal.run(endpoint, { input: input("flag me [fake:moderation]") }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldErrors[0]).toMatchObject({ type: "content_policy_violation" });
  });

  it("answers fal.stream on a video endpoint with 404, as an endpoint without a /stream route does", async () => {
    const stream = await fal.stream(endpoint, { input: input("stream a video") });
    const error = await stream.done().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404 });
    expect(fakes.requests.filter((r) => r.method === "POST").at(-1)!.path).toBe(`/fal/.run/${endpoint}/stream`);
  });

  it("uploads with fal.storage.upload (initiate, PUT, public URL) and uploads a Blob input on its own", async () => {
    const photo = new Blob([new Uint8Array(FAKE_PHOTO_PNG)], { type: "image/png" });
    const url = await fal.storage.upload(photo);
    const initiated = fakes.requests.filter((r) => r.path.startsWith("/fal/.rest/storage/upload/initiate")).at(-1)!;
    expect(JSON.parse(initiated.body)).toMatchObject({
      content_type: "image/png",
      file_name: expect.stringMatching(/\.png$/) as unknown,
    });
    expect(initiated.headers.authorization).toBe(`Key ${fakes.credentials.fal.apiKey}`);
    const put = fakes.requests.filter((r) => r.method === "PUT" && r.path.startsWith("/fal/.cdn/upload/")).at(-1)!;
    expect(put.headers.authorization).toBeUndefined();
    // The file URL is public (no key), as fal's CDN is.
    const fetched = await fetch(url);
    expect(fetched.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await fetched.arrayBuffer()).equals(FAKE_PHOTO_PNG)).toBe(true);

    const { request_id } = await fal.queue.submit(endpoint, {
      input: { prompt: "from a local photo", start_image_url: photo },
    });
    const job = fakes.control.jobs("fal").find((j) => j.id === request_id)!;
    const sentUrl = (job.input as { start_image_url: string }).start_image_url;
    expect(sentUrl).toContain("/fal/.cdn/files/");
    expect(Buffer.from(await (await fetch(sentUrl)).arrayBuffer()).equals(FAKE_PHOTO_PNG)).toBe(true);

    // A forged upload URL is refused.
    const forged = await fetch(put.path.replace(/signature=[^&]+/, "signature=0").replace(/^/, fakes.origin), {
      method: "PUT",
      body: "x",
    });
    expect(forged.status).toBe(403);
  });
});
