// Contract: Kling has no official Node SDK, so requests are built from its docs:
// https://app.klingai.com/global/dev/document-api/apiReference/commonInfo (auth: JWT HS256 with
// iss = access key, exp, nbf, signed with the secret key),
// https://app.klingai.com/global/dev/document-api/apiReference/model/imageToVideo (create, query
// by id or external_task_id, list; end frame, masks and camera control are one-of-three; v3's
// multi-shot fields) and …/model/motionControl. Tokens are made with jose, the
// reference JOSE library, as a user following the docs would; the fake verifies with jose too.
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFakeVideo } from "../fake-video";
import { startFakeProviders, type FakeProviders } from "../fake-server";

let fakes: FakeProviders;
beforeAll(async () => {
  fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
});
afterAll(async () => {
  await fakes.stop();
});

const now = () => Math.floor(Date.now() / 1000);
async function token(
  claims: { iss?: string; exp?: number; nbf?: number } = {},
  secret = fakes.credentials.kling.secretKey,
): Promise<string> {
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(claims.iss ?? fakes.credentials.kling.accessKey);
  jwt.setExpirationTime(claims.exp ?? now() + 1800).setNotBefore(claims.nbf ?? now() - 5);
  return jwt.sign(new TextEncoder().encode(secret));
}
async function kling(method: string, path: string, body?: unknown, bearer?: string) {
  const response = await fetch(`${fakes.baseUrls.kling}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer ?? (await token())}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { code: number; message: string; request_id: string; data: unknown },
  };
}

describe("auth", () => {
  it("accepts a jose-made token and refuses a wrong secret, a wrong issuer, an expired or not-yet-valid token", async () => {
    expect((await kling("GET", "/v1/videos/image2video")).body.code).toBe(0);
    const refusals = await Promise.all([
      kling("GET", "/v1/videos/image2video", undefined, await token({}, "another-secret")),
      kling("GET", "/v1/videos/image2video", undefined, await token({ iss: "someone-else" })),
      kling("GET", "/v1/videos/image2video", undefined, await token({ exp: now() - 60, nbf: now() - 1900 })),
      kling("GET", "/v1/videos/image2video", undefined, await token({ nbf: now() + 600 })),
      kling("GET", "/v1/videos/image2video", undefined, "not.a.jwt"),
    ]);
    expect(refusals.map((r) => [r.status, r.body.code])).toEqual([
      [401, 1002],
      [401, 1002],
      [401, 1004],
      [401, 1002],
      [401, 1002],
    ]);
  });
});

describe("image to video", () => {
  it("accepts every documented field and finds the task by id, by external_task_id and in the list", async () => {
    const created = await kling("POST", "/v1/videos/image2video", {
      model_name: "kling-v2-6",
      image: fakes.mediaUrl("photo.png"),
      image_tail: fakes.mediaUrl("end.png"),
      prompt: "a kite over the dunes",
      negative_prompt: "blur",
      cfg_scale: 0.5,
      mode: "pro",
      sound: "on",
      duration: "10",
      callback_url: "https://example.test/kling",
      external_task_id: "gen_kling_1",
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ code: 0, message: "SUCCEED", request_id: expect.any(String) as unknown });
    const data = created.body.data as { task_id: string; task_status: string; created_at: number; updated_at: number };
    // The create answer names our id already (task_info), as the docs' example shows.
    expect(data).toMatchObject({
      task_status: "submitted",
      task_info: { external_task_id: "gen_kling_1" },
      created_at: expect.any(Number) as unknown,
      updated_at: expect.any(Number) as unknown,
    });

    const byId = await kling("GET", `/v1/videos/image2video/${data.task_id}`);
    expect(byId.body.data).toMatchObject({
      task_id: data.task_id,
      task_status_msg: "",
      task_info: { external_task_id: "gen_kling_1" },
    });
    const byExternal = await kling("GET", "/v1/videos/image2video?external_task_id=gen_kling_1");
    expect(byExternal.body.data).toMatchObject({ task_id: data.task_id });
    const listed = await kling("GET", "/v1/videos/image2video?pageNum=1&pageSize=30");
    expect((listed.body.data as Array<{ task_id: string }>).map((t) => t.task_id)).toContain(data.task_id);
    expect((await kling("GET", "/v1/videos/image2video?pageNum=0&pageSize=30")).status).toBe(400);
    // The same external_task_id twice is refused: what makes the id a safe key for recovery.
    expect(
      (
        await kling("POST", "/v1/videos/image2video", {
          image: fakes.mediaUrl("photo.png"),
          external_task_id: "gen_kling_1",
        })
      ).status,
    ).toBe(400);
  });

  it("takes the one-of-three controls (end frame, masks, camera) one at a time, and v3's multi-shot fields", async () => {
    const camera = await kling("POST", "/v1/videos/image2video", {
      image: fakes.mediaUrl("photo.png"),
      camera_control: { type: "simple", config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 5 } },
    });
    expect(camera.status).toBe(200);
    const masks = await kling("POST", "/v1/videos/image2video", {
      image: fakes.mediaUrl("photo.png"),
      static_mask: fakes.mediaUrl("end.png"),
      dynamic_masks: [
        {
          mask: fakes.mediaUrl("end.png"),
          trajectories: [
            { x: 10, y: 10 },
            { x: 50, y: 60 },
          ],
        },
      ],
    });
    expect(masks.status).toBe(200);
    const multiShot = await kling("POST", "/v1/videos/image2video", {
      model_name: "kling-v3",
      image: fakes.mediaUrl("photo.png"),
      multi_shot: true,
      shot_type: "customize",
      multi_prompt: [
        { index: 1, prompt: "the kite rises", duration: "3" },
        { index: 2, prompt: "the kite dives", duration: "2" },
      ],
      duration: "5",
    });
    expect(multiShot.status).toBe(200);
    const refusals = await Promise.all(
      [
        { image_tail: fakes.mediaUrl("end.png"), camera_control: { type: "simple" } },
        { mode: "ultra" },
        { cfg_scale: 2 },
        { multi_shot: true },
        { multi_shot: true, shot_type: "customize", multi_prompt: [] },
      ].map((extra) => kling("POST", "/v1/videos/image2video", { image: fakes.mediaUrl("photo.png"), ...extra })),
    );
    expect(refusals.map((r) => [r.status, r.body.code])).toEqual(Array.from({ length: 5 }, () => [400, 1201]));
  });

  it("refuses what image-to-video does not document (aspect_ratio, seed) and a numeric duration", async () => {
    for (const extra of [{ aspect_ratio: "16:9" }, { seed: 1 }, { duration: 5 }]) {
      const answer = await kling("POST", "/v1/videos/image2video", { image: fakes.mediaUrl("photo.png"), ...extra });
      expect(answer).toMatchObject({ status: 400, body: { code: 1201 } });
    }
  });
});

describe("motion control", () => {
  it("accepts every documented field", async () => {
    const created = await kling("POST", "/v1/videos/motion-control", {
      image_url: fakes.mediaUrl("photo.png"),
      video_url: fakes.mediaUrl("reference.mp4"),
      character_orientation: "video",
      mode: "std",
      keep_original_sound: "yes",
      prompt: "dance",
      callback_url: "https://example.test/kling",
      external_task_id: "gen_motion_1",
    });
    expect(created).toMatchObject({ status: 200, body: { code: 0 } });
    const listed = await kling("GET", "/v1/videos/motion-control");
    expect((listed.body.data as unknown[]).length).toBe(1);
  });
});
