// Contract: the official `replicate` client (npm, 1.4.0) against the Replicate fake, as a user of
// https://replicate.com/docs/reference/http would call it: create by version (three spellings),
// by model and by deployment, sync mode, get, wait, run, stream, cancel, list, the model and its
// versions, files (https://sdks.replicate.com/resources/files: create, get, list, download,
// delete, and the client's own upload of a Blob input), deployments
// (https://sdks.replicate.com/resources/deployments), the account and hardware, and webhooks
// verified with `standardwebhooks` (the reference library) and the client's own validateWebhook.
import Replicate, { validateWebhook, type Prediction } from "replicate";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureFakeVideo } from "../fake-video";
import { startFakeProviders, type FakeProviders } from "../fake-server";
import { FAKE_PHOTO_PNG } from "../fake-video";
import { FAKE_REPLICATE_ACCOUNT, fakeReplicateVersionId } from "../protocols/replicate-protocol";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver";

let fakes: FakeProviders;
let receiver: WebhookReceiver;
let replicate: Replicate;
beforeAll(async () => {
  fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
  receiver = await startWebhookReceiver();
  replicate = new Replicate({ auth: fakes.credentials.replicate.apiToken, baseUrl: `${fakes.baseUrls.replicate}/v1` });
});
afterAll(async () => {
  await receiver.stop();
  await fakes.stop();
});
beforeEach(() => {
  fakes.control.setLifecycle("replicate", { queuedPolls: 1, pollsToComplete: 3, completeAfterMs: undefined });
  fakes.control.clearFaults();
});

const input = (prompt: string) => ({ prompt, start_image: "https://example.test/photo.png", duration: 5 });

describe("creating predictions", () => {
  it("creates by a bare version id taken from models.get, and waits for the output", async () => {
    const model = await replicate.models.get("kwaivgi", "kling-v3-video");
    expect(model).toMatchObject({
      owner: "kwaivgi",
      name: "kling-v3-video",
      latest_version: { id: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown },
    });
    const versionId = model.latest_version!.id;
    const created = await replicate.predictions.create({ version: versionId, input: input("by version id") });
    expect(created).toMatchObject({
      status: "starting",
      model: "kwaivgi/kling-v3-video",
      version: versionId,
      input: input("by version id"),
      output: null,
      error: null,
    });
    expect(created.urls).toMatchObject({
      get: expect.stringContaining(`/v1/predictions/${created.id}`) as unknown,
      cancel: expect.stringContaining("/cancel") as unknown,
    });

    const done = await replicate.wait(created, { interval: 10 });
    expect(done).toMatchObject({
      id: created.id,
      status: "succeeded",
      output: expect.stringContaining("/outputs/") as unknown,
      metrics: { predict_time: expect.any(Number) as unknown },
    });
    expect(typeof done.completed_at).toBe("string");
    expect((await fetch(String(done.output))).headers.get("content-type")).toBe("video/mp4");
  });

  it("creates by owner/name:version and by owner/name, and lists the model's versions", async () => {
    const versions = await replicate.models.versions.list("google", "veo-3.1");
    expect(versions.results.map((v) => v.id)).toEqual([fakeReplicateVersionId("google/veo-3.1")]);
    const pinned = await replicate.predictions.create({
      version: `google/veo-3.1:${versions.results[0]!.id}`,
      input: { prompt: "pinned" },
    });
    expect(pinned).toMatchObject({ model: "google/veo-3.1", version: versions.results[0]!.id });
    const latest = await replicate.predictions.create({ version: "google/veo-3.1", input: { prompt: "latest" } });
    expect(latest).toMatchObject({ model: "google/veo-3.1", version: versions.results[0]!.id });
  });

  it("refuses a version that does not exist with Replicate's 422", async () => {
    const error = await replicate.predictions
      .create({ version: "0".repeat(64), input: { prompt: "x" } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ApiError", response: { status: 422 } });
    const mismatched = await replicate.predictions
      .create({ version: `google/veo-3.1:${fakeReplicateVersionId("kwaivgi/kling-v3-video")}`, input: { prompt: "x" } })
      .catch((e: unknown) => e);
    expect(mismatched).toMatchObject({ response: { status: 422 } });
  });

  it("creates by model and gets it by id", async () => {
    const created = await replicate.predictions.create({
      model: "bytedance/seedance-2.0",
      input: { prompt: "by model", image: "https://example.test/p.png" },
    });
    expect(created).toMatchObject({
      model: "bytedance/seedance-2.0",
      version: "hidden",
      status: "starting",
      source: "api",
    });
    const got = await replicate.predictions.get(created.id);
    expect(got).toMatchObject({ id: created.id, status: "starting" });
    const running = await replicate.predictions.get(created.id);
    expect(running.status).toBe("processing");
  });

  it("holds a sync-mode create (Prefer: wait) until the prediction finished", async () => {
    const prediction = await replicate.predictions.create({
      model: "google/veo-3.1",
      input: { prompt: "sync" },
      wait: 5,
    });
    expect(prediction.status).toBe("succeeded");
    const sent = fakes.requests.filter((r) => r.provider === "replicate" && r.method === "POST").at(-1)!;
    expect(sent.headers.prefer).toBe("wait=5");
  });

  it("runs a model with replicate.run (sync create, then polling) by name and by pinned version", async () => {
    const output = await replicate.run("kwaivgi/kling-v3-video", { input: input("run") });
    expect(output).toEqual(expect.stringContaining("/outputs/"));
    fakes.control.setLifecycle("replicate", { completeAfterMs: 60_000 });
    // A sync wait that runs out returns the prediction as it is; run() then polls it to the end.
    const started = replicate.run(`google/veo-3.1:${fakeReplicateVersionId("google/veo-3.1")}`, {
      input: { prompt: "slow" },
      wait: { mode: "block", timeout: 1 },
    });
    expect(await started).toEqual(expect.stringContaining("/outputs/"));
  });

  it("reports a failed prediction the way the client surfaces it", async () => {
    const created = await replicate.predictions.create({
      model: "google/veo-3.1",
      input: { prompt: "flag me [fake:moderation]" },
    });
    await expect(replicate.wait(created, { interval: 10 })).rejects.toThrow(/Prediction failed: .*E005/);
  });
});

describe("cancel and list", () => {
  it("cancels a running prediction and answers the prediction for a finished one", async () => {
    const created = await replicate.predictions.create({ model: "kwaivgi/kling-v3-video", input: input("cancel me") });
    const canceled = await replicate.predictions.cancel(created.id);
    expect(canceled).toMatchObject({ id: created.id, status: "canceled" });
    expect((await replicate.predictions.get(created.id)).status).toBe("canceled");
    const again = await replicate.predictions.cancel(created.id);
    expect(again.status).toBe("canceled");
  });

  it("finds a prediction whose create answer was lost by listing", async () => {
    fakes.control.injectFault("replicate", { kind: "lost_response", on: "submit", times: 1 });
    const lost = await replicate.predictions
      .create({ model: "google/veo-3.1", input: { prompt: "lost answer gen_123" } })
      .catch((e: unknown) => e);
    expect(lost).toMatchObject({ response: { status: 502 } });
    const page = await replicate.predictions.list();
    const found = page.results.find(
      (p: Prediction) => (p.input as { prompt?: string }).prompt === "lost answer gen_123",
    );
    expect(found).toMatchObject({ model: "google/veo-3.1", status: "starting" });
  });
});

describe("webhooks", () => {
  it("sends start and completed, verifiable with standardwebhooks and the client's validateWebhook", async () => {
    const { key } = await replicate.webhooks.default.secret.get();
    expect(key).toBe(fakes.credentials.replicate.webhookSecret);
    const created = await replicate.predictions.create({
      version: fakeReplicateVersionId("kwaivgi/kling-v3-video"),
      input: input("hooked"),
      webhook: receiver.url("/replicate"),
      webhook_events_filter: ["start", "completed"],
    });
    const [start] = await receiver.waitFor(1, "/replicate");
    await replicate.wait(created, { interval: 10 });
    const both = await receiver.waitFor(2, "/replicate");
    const verifier = new Webhook(key);
    const bodies = both.map((hook) => verifier.verify(hook.body, hook.headers as Record<string, string>) as Prediction);
    expect(bodies.map((b) => [b.id, b.status])).toEqual([
      [created.id, "starting"],
      [created.id, "succeeded"],
    ]);
    expect(start!.headers["webhook-id"]).not.toBe(both[1]!.headers["webhook-id"]);
    for (const hook of both) {
      const headers = new Headers(Object.entries(hook.headers).map(([k, v]) => [k, String(v)]));
      expect(
        await validateWebhook(new Request("https://example.test/", { method: "POST", headers, body: hook.body }), key),
      ).toBe(true);
    }
    // A body changed in transit fails the reference check.
    expect(() =>
      verifier.verify(both[1]!.body.replace("succeeded", "failed"), both[1]!.headers as Record<string, string>),
    ).toThrow();
  });

  it("sends only the events the filter asks for", async () => {
    const created = await replicate.predictions.create({
      model: "google/veo-3.1",
      input: { prompt: "only completed" },
      webhook: receiver.url("/completed-only"),
      webhook_events_filter: ["completed"],
    });
    await replicate.wait(created, { interval: 10 });
    const [only] = await receiver.waitFor(1, "/completed-only");
    expect(JSON.parse(only!.body)).toMatchObject({ id: created.id, status: "succeeded" });
    expect(receiver.received.filter((r) => r.path === "/completed-only")).toHaveLength(1);
    const output = await replicate.predictions.create({
      model: "google/veo-3.1",
      input: { prompt: "only output" },
      webhook: receiver.url("/output-only"),
      webhook_events_filter: ["output"],
    });
    await replicate.wait(output, { interval: 10 });
    const [event] = await receiver.waitFor(1, "/output-only");
    expect(JSON.parse(event!.body)).toMatchObject({
      id: output.id,
      status: "succeeded",
      output: expect.stringContaining("/outputs/") as unknown,
    });
    const refused = await replicate.predictions
      .create({
        model: "google/veo-3.1",
        input: { prompt: "x" },
        webhook: receiver.url("/x"),
        webhook_events_filter: ["finished" as "completed"],
      })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ response: { status: 422 } });
  });
});

describe("files", () => {
  it("creates, gets, lists, downloads and deletes a file, as files.* and the client's own Blob upload do", async () => {
    const photo = new File([new Uint8Array(FAKE_PHOTO_PNG)], "photo.png", { type: "image/png" });
    const file = await replicate.files.create(photo, { generation: "gen_files" });
    expect(file).toMatchObject({
      id: expect.stringMatching(/^[a-z0-9]+$/) as unknown,
      content_type: "image/png",
      size: FAKE_PHOTO_PNG.byteLength,
      checksums: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown },
      metadata: { generation: "gen_files" },
      urls: { get: expect.stringContaining(`/v1/files/${file.id}`) as unknown },
    });
    expect(Date.parse(String(file.expires_at))).toBeGreaterThan(Date.parse(file.created_at));
    expect(await replicate.files.get(file.id)).toEqual(file);
    expect((await replicate.files.list()).results.map((f) => f.id)).toContain(file.id);
    const downloaded = await fetch(`${file.urls.get}/download`, {
      headers: { authorization: `Bearer ${fakes.credentials.replicate.apiToken}` },
    });
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(FAKE_PHOTO_PNG)).toBe(true);

    // A Blob in the input is uploaded by the client and replaced by the file's urls.get.
    const uploading = new Replicate({
      auth: fakes.credentials.replicate.apiToken,
      baseUrl: `${fakes.baseUrls.replicate}/v1`,
      fileEncodingStrategy: "upload",
    });
    const created = await uploading.predictions.create({
      model: "kwaivgi/kling-v3-video",
      input: { prompt: "from a local photo", start_image: photo },
    });
    const sent = (created.input as { start_image: string }).start_image;
    expect(sent).toMatch(new RegExp(`/replicate/v1/files/[a-z0-9]+$`));
    expect(await replicate.files.get(sent.split("/").at(-1)!)).toMatchObject({
      content_type: "image/png",
      size: FAKE_PHOTO_PNG.byteLength,
    });

    expect(await replicate.files.delete(file.id)).toBe(true);
    expect(await replicate.files.get(file.id).catch((e: unknown) => e)).toMatchObject({ response: { status: 404 } });
  });
});

describe("deployments, account and hardware", () => {
  it("creates a deployment of a model version, runs predictions on it, updates and deletes it", async () => {
    expect(await replicate.accounts.current()).toMatchObject({
      username: FAKE_REPLICATE_ACCOUNT.username,
      type: "organization",
    });
    const skus = (await replicate.hardware.list()).map((h) => h.sku);
    expect(skus).toContain("gpu-t4");
    const version = fakeReplicateVersionId("kwaivgi/kling-v3-video");
    const made = await replicate.deployments.create({
      name: "animate-kling",
      model: "kwaivgi/kling-v3-video",
      version,
      hardware: "gpu-t4",
      min_instances: 0,
      max_instances: 2,
    });
    expect(made).toMatchObject({
      owner: FAKE_REPLICATE_ACCOUNT.username,
      name: "animate-kling",
      current_release: {
        number: 1,
        model: "kwaivgi/kling-v3-video",
        version,
        created_by: { username: FAKE_REPLICATE_ACCOUNT.username },
        configuration: { hardware: "gpu-t4", min_instances: 0, max_instances: 2 },
      },
    });
    expect(await replicate.deployments.get(made.owner, made.name)).toEqual(made);
    expect((await replicate.deployments.list()).results.map((d) => d.name)).toContain("animate-kling");

    const prediction = await replicate.deployments.predictions.create(made.owner, made.name, {
      input: input("on a deployment"),
      wait: 5,
    });
    expect(prediction).toMatchObject({
      status: "succeeded",
      model: "kwaivgi/kling-v3-video",
      version,
      deployment: `${made.owner}/${made.name}`,
    });
    const polled = await replicate.deployments.predictions.create(made.owner, made.name, { input: input("polled") });
    expect(polled.status).toBe("starting");
    expect((await replicate.wait(polled, { interval: 10 })).status).toBe("succeeded");

    const updated = await replicate.deployments.update(made.owner, made.name, { max_instances: 4 });
    expect(updated.current_release).toMatchObject({
      number: 2,
      configuration: { hardware: "gpu-t4", min_instances: 0, max_instances: 4 },
    });
    const refused = await replicate.deployments
      .create({
        name: "bad",
        model: "kwaivgi/kling-v3-video",
        version: "0".repeat(64),
        hardware: "gpu-t4",
        min_instances: 0,
        max_instances: 1,
      })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ response: { status: 422 } });
    expect(await replicate.deployments.delete(made.owner, made.name)).toBe(true);
    const gone = await replicate.deployments.predictions
      .create(made.owner, made.name, { input: input("gone") })
      .catch((e: unknown) => e);
    expect(gone).toMatchObject({ response: { status: 404 } });
  });
});

describe("streaming and deadlines", () => {
  it("gives a video prediction no stream URL, so replicate.stream says the model does not stream", async () => {
    const before = fakes.control.jobs("replicate").length;
    const events: unknown[] = [];
    const error = await (async () => {
      for await (const event of replicate.stream("google/veo-3.1", { input: { prompt: "stream me" } }))
        events.push(event);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ message: "Prediction does not support streaming" });
    expect(events).toEqual([]);
    // The prediction was still created (and is billed) as on Replicate; it carries no urls.stream.
    const created = fakes.control.jobs("replicate").slice(before);
    expect(created).toHaveLength(1);
    const prediction = await replicate.predictions.get(created[0]!.id);
    expect(prediction.urls).not.toHaveProperty("stream");
  });

  it("shows Cancel-After as the prediction's deadline, refuses a bad one, and sets started_at once it runs", async () => {
    const create = (cancelAfter: string) =>
      fetch(`${fakes.baseUrls.replicate}/v1/models/google/veo-3.1/predictions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${fakes.credentials.replicate.apiToken}`,
          "content-type": "application/json",
          "cancel-after": cancelAfter,
        },
        body: JSON.stringify({ input: { prompt: "deadline" }, stream: false }),
      });
    const answer = await create("1h30m");
    expect(answer.status).toBe(201);
    const prediction = (await answer.json()) as Prediction & { deadline: string };
    expect(Date.parse(prediction.deadline) - Date.parse(prediction.created_at)).toBe(90 * 60 * 1000);
    expect(prediction).not.toHaveProperty("started_at");
    expect((await create("2s")).status).toBe(400);
    expect((await create("soon")).status).toBe(400);
    await replicate.predictions.get(prediction.id);
    const running = await replicate.predictions.get(prediction.id);
    expect(running).toMatchObject({ status: "processing", started_at: expect.any(String) as unknown });
  });
});
