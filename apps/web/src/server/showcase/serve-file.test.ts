// Browsers loop and seek the landing video with Range requests; a wrong answer stalls playback.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serveFile } from "./serve-file";

const dir = mkdtempSync(path.join(tmpdir(), "serve-file-"));
const file = path.join(dir, "clip.mp4");
writeFileSync(file, Buffer.from("0123456789"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (range?: string, method = "GET") =>
  serveFile(new Request("http://x/clip.mp4", { method, headers: range ? { range } : {} }), file, "video/mp4");

describe("serveFile", () => {
  it("sends the whole file with its length and says ranges are accepted", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("content-type")).toBe("video/mp4");
    expect(await response.text()).toBe("0123456789");
  });

  it.each([
    ["bytes=2-5", "2345", "bytes 2-5/10"],
    ["bytes=7-", "789", "bytes 7-9/10"],
    ["bytes=-3", "789", "bytes 7-9/10"],
    ["bytes=8-100", "89", "bytes 8-9/10"],
  ])("answers %s with 206 and exactly those bytes", async (range, body, contentRange) => {
    const response = await get(range);
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(contentRange);
    expect(response.headers.get("content-length")).toBe(String(body.length));
    expect(await response.text()).toBe(body);
  });

  it("refuses a range past the end with 416", async () => {
    const response = await get("bytes=10-");
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe("bytes */10");
  });

  it("answers HEAD with headers only", async () => {
    const response = await get(undefined, "HEAD");
    expect(response.headers.get("content-length")).toBe("10");
    expect(await response.text()).toBe("");
  });
});
