// The fakes' job lists, the recovery path after a lost create answer: Replicate's "List
// predictions" driven by the official `replicate` client, BytePlus ModelArk's "List content
// generation tasks" with the query its docs give (page_num, page_size, filter.status,
// filter.task_ids, filter.model; answer {items, total}).
// BytePlus docs (no official Node SDK): https://docs.byteplus.com/en/docs/ModelArk/1520757 (create
// a video generation task: the optional fields below), https://docs.byteplus.com/en/docs/ModelArk/1521309
// (query a task: every answer field checked below) and the "query video generation task list" page beside them; the same pages
// exist in Chinese at https://volcengine.com/docs/82379/1520757 and …/82379/1521309.
import Replicate, { type Prediction } from "replicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFakeVideo } from "./fake-video";
import { startFakeProviders, type FakeProviders } from "./fake-server";

let fakes: FakeProviders;
beforeAll(async () => {
  fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
});
afterAll(async () => {
  await fakes.stop();
});

describe("Replicate prediction list through the official client", () => {
  it("lists newest first, 100 a page, and paginate() follows the cursor to the end", async () => {
    const replicate = new Replicate({
      auth: fakes.credentials.replicate.apiToken,
      baseUrl: `${fakes.baseUrls.replicate}/v1`,
    });
    const created: Prediction[] = [];
    for (let i = 0; i < 130; i += 1) {
      created.push(
        await replicate.predictions.create({
          model: "kwaivgi/kling-v3-video",
          input: { prompt: `clip ${i}`, start_image: fakes.mediaUrl("photo.png") },
        }),
      );
    }
    const first = await replicate.predictions.list();
    expect(first.results).toHaveLength(100);
    expect(first.results[0]).toMatchObject({
      id: created.at(-1)!.id,
      model: "kwaivgi/kling-v3-video",
      source: "api",
      status: "starting",
      input: { prompt: "clip 129" },
    });
    expect(first.next).toEqual(expect.stringContaining("cursor=") as unknown);
    expect(first.previous).toBeNull();

    const seen: string[] = [];
    for await (const page of replicate.paginate(() => replicate.predictions.list()))
      seen.push(...page.map((p) => p.id));
    expect(seen).toHaveLength(130);
    expect(new Set(seen).size).toBe(130);
    expect(seen).toEqual(created.map((p) => p.id).reverse());
    // Listing is a read: no prediction moved on.
    expect(fakes.control.jobs("replicate").every((job) => job.polls === 0)).toBe(true);
  });

  it("filters by created_after / created_before and shows the webhook a prediction was created with", async () => {
    const replicate = new Replicate({
      auth: fakes.credentials.replicate.apiToken,
      baseUrl: `${fakes.baseUrls.replicate}/v1`,
    });
    const before = new Date(Date.now() - 1);
    const made = await replicate.predictions.create({
      model: "google/veo-3.1",
      input: { prompt: "late" },
      webhook: "https://example.test/hook",
      webhook_events_filter: ["completed"],
    });
    const answer = await fetch(
      `${fakes.baseUrls.replicate}/v1/predictions?created_after=${encodeURIComponent(before.toISOString())}`,
      {
        headers: { authorization: `Bearer ${fakes.credentials.replicate.apiToken}` },
      },
    );
    const page = (await answer.json()) as { results: Array<Record<string, unknown>>; next: string | null };
    expect(page.results.map((p) => p.id)).toEqual([made.id]);
    expect(page.results[0]).toMatchObject({
      webhook: "https://example.test/hook",
      webhook_events_filter: ["completed"],
    });
    const none = await fetch(
      `${fakes.baseUrls.replicate}/v1/predictions?created_before=${encodeURIComponent(new Date(0).toISOString())}`,
      {
        headers: { authorization: `Bearer ${fakes.credentials.replicate.apiToken}` },
      },
    );
    expect(((await none.json()) as { results: unknown[] }).results).toEqual([]);
  });
});

describe("BytePlus ModelArk task list", () => {
  const auth = () => ({
    authorization: `Bearer ${fakes.credentials.bytedance.apiKey}`,
    "content-type": "application/json",
  });
  const create = async (model: string, extra: Record<string, unknown> = {}) => {
    const response = await fetch(`${fakes.baseUrls.bytedance}/contents/generations/tasks`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify({ model, content: [{ type: "text", text: "a kite" }], ...extra }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }).id;
  };
  const list = async (query: string) => {
    const response = await fetch(`${fakes.baseUrls.bytedance}/contents/generations/tasks?${query}`, {
      headers: auth(),
    });
    return {
      status: response.status,
      body: (await response.json()) as { items: Array<Record<string, unknown>>; total: number },
    };
  };

  it("accepts every optional field the create docs list", async () => {
    await create("seedance-docs", {
      resolution: "720p",
      ratio: "16:9",
      duration: 5,
      frames: 121,
      seed: 11,
      camera_fixed: false,
      watermark: false,
      generate_audio: true,
      draft: false,
      return_last_frame: true,
      service_tier: "default",
      execution_expires_after: 3600,
      safety_identifier: "hashed-user",
      priority: 0,
      callback_url: "https://example.test/hook",
    });
    const refused = await fetch(`${fakes.baseUrls.bytedance}/contents/generations/tasks`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify({ model: "m", content: [], not_a_field: 1 }),
    });
    expect(refused.status).toBe(400);
  });

  it("pages newest first and filters by model, status and task ids", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await create("seedance-list", { seed: 100 + i }));
    await create("another-model");

    const all = await list("page_num=1&page_size=2&filter.model=seedance-list");
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(5);
    expect(all.body.items.map((t) => t.id)).toEqual([ids[4], ids[3]]);
    expect(all.body.items[0]).toMatchObject({
      model: "seedance-list",
      status: "queued",
      seed: 104,
      created_at: expect.any(Number) as unknown,
    });
    const third = await list("page_num=3&page_size=2&filter.model=seedance-list");
    expect(third.body.items.map((t) => t.id)).toEqual([ids[0]]);

    const picked = await list(`page_num=1&page_size=10&filter.task_ids=${ids[1]}&filter.task_ids=${ids[2]}`);
    expect(picked.body.items.map((t) => t.id).sort()).toEqual([ids[1], ids[2]].sort());

    await fetch(`${fakes.baseUrls.bytedance}/contents/generations/tasks/${ids[0]}`, {
      method: "DELETE",
      headers: auth(),
    });
    const cancelled = await list("page_num=1&page_size=10&filter.status=cancelled&filter.model=seedance-list");
    expect(cancelled.body.items.map((t) => t.id)).toEqual([ids[0]]);
    // Reading the list moved no task on.
    expect(fakes.control.jobs("bytedance").every((job) => job.polls === 0)).toBe(true);

    expect((await list("page_num=0&page_size=10")).status).toBe(400);
    expect((await list("page_num=1&page_size=501")).status).toBe(400);
    expect((await list("page_num=1&page_size=10&filter.status=done")).status).toBe(400);
  });
  it("answers every field the query page documents, and checks content items as the create page lists them", async () => {
    const id = await create("seedance-fields", {
      content: [
        { type: "text", text: "a kite over the dunes" },
        { type: "image_url", image_url: { url: fakes.mediaUrl("photo.png") }, role: "first_frame" },
        { type: "image_url", image_url: { url: fakes.mediaUrl("end.png") }, role: "last_frame" },
      ],
      return_last_frame: true,
      service_tier: "flex",
      execution_expires_after: 7200,
      safety_identifier: "hashed-user",
      seed: 7,
    });
    const read = async () =>
      (await (
        await fetch(`${fakes.baseUrls.bytedance}/contents/generations/tasks/${id}`, { headers: auth() })
      ).json()) as Record<string, unknown>;
    expect(await read()).toMatchObject({
      id,
      model: "seedance-fields",
      status: "queued",
      error: null,
      seed: 7,
      framespersecond: 24,
      generate_audio: true,
      draft: false,
      service_tier: "flex",
      execution_expires_after: 7200,
      priority: 0,
      safety_identifier: "hashed-user",
    });
    fakes.control.completeJob("bytedance", id);
    expect(await read()).toMatchObject({
      status: "succeeded",
      content: {
        video_url: expect.stringContaining("/outputs/") as unknown,
        last_frame_url: expect.any(String) as unknown,
      },
      usage: { completion_tokens: expect.any(Number) as unknown, total_tokens: expect.any(Number) as unknown },
    });
    // Reference media and a draft task are documented content types too.
    await create("seedance-fields", {
      content: [
        { type: "text", text: "the same dancer" },
        { type: "image_url", image_url: { url: fakes.mediaUrl("photo.png") }, role: "reference_image" },
        { type: "video_url", video_url: { url: fakes.mediaUrl("reference.mp4") }, role: "reference_video" },
        { type: "audio_url", audio_url: { url: "https://example.test/a.mp3" }, role: "reference_audio" },
      ],
    });
    const fromDraft = await create("seedance-fields", { content: [{ type: "draft_task", draft_task: { id } }] });
    expect(
      await (
        await fetch(`${fakes.baseUrls.bytedance}/contents/generations/tasks/${fromDraft}`, { headers: auth() })
      ).json(),
    ).toMatchObject({ draft_task_id: id });

    const refuse = async (extra: Record<string, unknown>) =>
      (
        await fetch(`${fakes.baseUrls.bytedance}/contents/generations/tasks`, {
          method: "POST",
          headers: auth(),
          body: JSON.stringify({ model: "m", content: [{ type: "text", text: "x" }], ...extra }),
        })
      ).status;
    expect(await refuse({ content: [{ type: "image_url", image_url: { url: "u" }, role: "poster" }] })).toBe(400);
    expect(await refuse({ content: [{ type: "image_url", image_url: { url: "u" }, role: "last_frame" }] })).toBe(400);
    expect(await refuse({ content: [{ type: "gif" }] })).toBe(400);
    expect(await refuse({ service_tier: "premium" })).toBe(400);
  });
});
