// Our catalog parameters → each provider's request, field by field (PROVIDERS.md). A stub fetch
// captures what would be sent; the contract suites prove the fakes accept it.
import { describe, expect, it } from "vitest";
import type { ModelId } from "@animateimg/catalog";
import type { ProviderAdapter, SubmitRequest } from "./adapter";
import { createBytedanceAdapter } from "./bytedance/bytedance-adapter";
import { createFalAdapter } from "./fal/fal-adapter";
import { createKieAdapter } from "./kie/kie-adapter";
import { createKlingAdapter } from "./kling/kling-adapter";
import type { FetchLike } from "./provider-http";
import { attemptReference, createReplicateAdapter } from "./replicate/replicate-adapter";

function capture(answer: unknown): {
  fetch: FetchLike;
  sent: Array<{ url: string; method: string; body: unknown; headers: Record<string, string> }>;
} {
  const sent: Array<{ url: string; method: string; body: unknown; headers: Record<string, string> }> = [];
  return {
    sent,
    fetch: (url, init) => {
      sent.push({
        url: String(url),
        method: init?.method ?? "GET",
        body: init?.body ? JSON.parse(init.body as string) : undefined,
        headers: init?.headers as Record<string, string>,
      });
      return Promise.resolve(new Response(JSON.stringify(answer), { status: 200 }));
    },
  };
}

const media = { imageUrl: "https://s/first.png", imageMimeType: "image/png", endFrameUrl: "https://s/last.png" };
const request = (
  modelId: ModelId,
  params: Record<string, unknown>,
  extra: Partial<SubmitRequest> = {},
): SubmitRequest => ({
  generationId: "gen",
  attempt: 1,
  modelId,
  prompt: "a prompt",
  params,
  media,
  webhookUrl: "https://app/api/webhooks/x",
  ...extra,
});

async function sentFor(make: (fetch: FetchLike) => ProviderAdapter, answer: unknown, req: SubmitRequest) {
  const { fetch, sent } = capture(answer);
  await make(fetch).submit(req);
  return sent[0]!;
}

describe("request mapping", () => {
  it("BytePlus Seedance: content parts with frame roles, ratio, duration as a number", async () => {
    const sent = await sentFor(
      (fetch) => createBytedanceAdapter({ apiKey: "k", fetch }),
      { id: "cgt-1" },
      request("seedance-2", {
        durationSeconds: 6,
        resolution: "1080p",
        aspectRatio: "adaptive",
        cameraFixed: true,
        generateAudio: true,
        seed: 7,
      }),
    );
    expect(sent.url).toBe("https://ark.ap-southeast.bytepluses.com/api/v3/contents/generations/tasks");
    expect(sent.headers.authorization).toBe("Bearer k");
    expect(sent.body).toEqual({
      model: "dreamina-seedance-2-0-260128",
      content: [
        { type: "text", text: "a prompt" },
        { type: "image_url", image_url: { url: "https://s/first.png" }, role: "first_frame" },
        { type: "image_url", image_url: { url: "https://s/last.png" }, role: "last_frame" },
      ],
      resolution: "1080p",
      ratio: "adaptive",
      duration: 6,
      seed: 7,
      camera_fixed: true,
      generate_audio: true,
      callback_url: "https://app/api/webhooks/x",
    });
  });

  it("Kie: Veo endpoint for VEO 3.1, market createTask for the others", async () => {
    const answer = { code: 200, msg: "success", data: { taskId: "t" } };
    const kie = (fetch: FetchLike) => createKieAdapter({ apiKey: "k", fetch });
    const veo = await sentFor(
      kie,
      answer,
      request("veo-3.1", {
        durationSeconds: 8,
        aspectRatio: "9:16",
        resolution: "720p",
        generateAudio: true,
        seed: 12345,
      }),
    );
    expect(veo.url).toBe("https://api.kie.ai/api/v1/veo/generate");
    expect(veo.body).toEqual({
      prompt: "a prompt",
      imageUrls: ["https://s/first.png", "https://s/last.png"],
      model: "veo3",
      generationType: "FIRST_AND_LAST_FRAMES_2_VIDEO",
      aspectRatio: "9:16",
      seeds: 12345,
      callBackUrl: "https://app/api/webhooks/x",
    });
    const kling = await sentFor(
      kie,
      answer,
      request("kling-3", { mode: "pro", durationSeconds: 12, generateAudio: true }),
    );
    expect(kling.url).toBe("https://api.kie.ai/api/v1/jobs/createTask");
    expect(kling.body).toEqual({
      model: "kling-3.0/video",
      callBackUrl: "https://app/api/webhooks/x",
      input: {
        prompt: "a prompt",
        image_urls: ["https://s/first.png", "https://s/last.png"],
        mode: "pro",
        duration: "12",
        sound: true,
      },
    });
    const seedance = await sentFor(
      kie,
      answer,
      request("seedance-2", {
        durationSeconds: 5,
        resolution: "480p",
        aspectRatio: "16:9",
        cameraFixed: false,
        generateAudio: false,
      }),
    );
    expect(seedance.body).toEqual({
      model: "bytedance/seedance-2",
      callBackUrl: "https://app/api/webhooks/x",
      input: {
        prompt: "a prompt",
        first_frame_url: "https://s/first.png",
        last_frame_url: "https://s/last.png",
        generate_audio: false,
        resolution: "480p",
        aspect_ratio: "16:9",
        duration: 5,
      },
    });
    const motion = await sentFor(
      kie,
      answer,
      request(
        "motion-control",
        { mode: "std", characterOrientation: "video", keepOriginalSound: true },
        { media: { ...media, endFrameUrl: undefined, referenceVideoUrl: "https://s/ref.mp4" } },
      ),
    );
    expect(motion.body).toEqual({
      model: "kling-3.0/motion-control",
      callBackUrl: "https://app/api/webhooks/x",
      input: {
        prompt: "a prompt",
        input_urls: ["https://s/first.png"],
        video_urls: ["https://s/ref.mp4"],
        character_orientation: "video",
        mode: "std",
      },
    });
  });

  it("fal: endpoint per model and mode, webhook in the query, duration strings", async () => {
    const answer = { request_id: "r" };
    const fal = (fetch: FetchLike) => createFalAdapter({ apiKey: "id:secret", fetch });
    const kling = await sentFor(
      fal,
      answer,
      request("kling-3", { mode: "pro", durationSeconds: 10, generateAudio: false, negativePrompt: "blur" }),
    );
    expect(kling.url).toBe(
      `https://queue.fal.run/fal-ai/kling-video/v3/pro/image-to-video?fal_webhook=${encodeURIComponent("https://app/api/webhooks/x")}`,
    );
    expect(kling.headers.authorization).toBe("Key id:secret");
    expect(kling.body).toEqual({
      prompt: "a prompt",
      start_image_url: "https://s/first.png",
      end_image_url: "https://s/last.png",
      duration: "10",
      negative_prompt: "blur",
      generate_audio: false,
    });
    const veo = await sentFor(
      fal,
      answer,
      request("veo-3.1", { durationSeconds: 6, aspectRatio: "16:9", resolution: "720p", generateAudio: true, seed: 3 }),
    );
    expect(veo.url.split("?")[0]).toBe("https://queue.fal.run/fal-ai/veo3.1/first-last-frame-to-video");
    expect(veo.body).toEqual({
      prompt: "a prompt",
      first_frame_url: "https://s/first.png",
      last_frame_url: "https://s/last.png",
      aspect_ratio: "16:9",
      duration: "6s",
      resolution: "720p",
      generate_audio: true,
      seed: 3,
    });
    const seedance = await sentFor(
      fal,
      answer,
      request(
        "seedance-2",
        { durationSeconds: 5, resolution: "720p", aspectRatio: "adaptive", cameraFixed: false, generateAudio: true },
        { webhookUrl: undefined },
      ),
    );
    expect(seedance.url).toBe("https://queue.fal.run/bytedance/seedance-2.0/image-to-video");
    expect(seedance.body).toEqual({
      prompt: "a prompt",
      image_url: "https://s/first.png",
      end_image_url: "https://s/last.png",
      resolution: "720p",
      aspect_ratio: "auto",
      duration: "5",
      camera_fixed: false,
      generate_audio: true,
    });
  });

  it("Replicate: official model predictions with completed-only webhooks and our reference in the input", async () => {
    const answer = { id: "p" };
    const replicate = (fetch: FetchLike) => createReplicateAdapter({ apiToken: "r8", fetch });
    const kling = await sentFor(
      replicate,
      answer,
      request("kling-3", { mode: "std", durationSeconds: 15, generateAudio: true }),
    );
    expect(kling.url).toBe("https://api.replicate.com/v1/models/kwaivgi/kling-v3-video/predictions");
    expect(kling.body).toEqual({
      input: {
        prompt: "a prompt",
        start_image: "https://s/first.png",
        end_image: "https://s/last.png",
        mode: "standard",
        duration: 15,
        generate_audio: true,
        animateimg_ref: attemptReference(request("kling-3", {})),
      },
      webhook: "https://app/api/webhooks/x",
      webhook_events_filter: ["completed"],
    });
    const veo = await sentFor(
      replicate,
      answer,
      request(
        "veo-3.1",
        { durationSeconds: 8, aspectRatio: "16:9", resolution: "1080p", generateAudio: false, seed: 1 },
        { webhookUrl: undefined },
      ),
    );
    expect(veo.body).toEqual({
      input: {
        prompt: "a prompt",
        image: "https://s/first.png",
        last_frame: "https://s/last.png",
        aspect_ratio: "16:9",
        duration: 8,
        resolution: "1080p",
        generate_audio: false,
        seed: 1,
        animateimg_ref: attemptReference(request("kling-3", {})),
      },
    });
  });

  it("Kling motion control: image_url, video_url, orientation, mode, sound as yes/no", async () => {
    const sent = await sentFor(
      (fetch) => createKlingAdapter({ baseUrl: "https://k", auth: () => "Bearer t", fetch }),
      { code: 0, data: { task_id: "t" } },
      request(
        "motion-control",
        { mode: "pro", characterOrientation: "image", keepOriginalSound: false },
        { media: { ...media, endFrameUrl: undefined, referenceVideoUrl: "https://s/ref.mp4" } },
      ),
    );
    expect(sent.url).toBe("https://k/v1/videos/motion-control");
    expect(sent.body).toEqual({
      model_name: "kling-v3",
      image_url: "https://s/first.png",
      video_url: "https://s/ref.mp4",
      character_orientation: "image",
      mode: "pro",
      keep_original_sound: "no",
      prompt: "a prompt",
      callback_url: "https://app/api/webhooks/x",
      external_task_id: "gen-1",
    });
  });
});
