import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiKey } from "@animateimg/auth";
import { createDb, type Db } from "@animateimg/db";
import { createFundedUser, testPhoto } from "@animateimg/workflows/testing/generation-fixtures";
import { startApp, type AppUnderTest } from "./app-under-test";
import { quickstart } from "./api-quickstart.mjs";

// The README's quickstart, run as written against the real app (`npm start`'s processes: Next
// web server, worker, Temporal, Postgres): a key, a photo, a finished MP4, and the signed
// webhook verified with the standardwebhooks package. The webhook receiver is on 127.0.0.1,
// which the app allows only because this test sets WEBHOOKS_ALLOW_LOCAL_HTTP.

let app: AppUnderTest;
let db: Db;
let scratch: string;

beforeAll(async () => {
  app = await startApp({
    postgresServerUrl: inject("postgresServerUrl"),
    name: "quickstart",
    env: { WEBHOOKS_ALLOW_LOCAL_HTTP: "1" },
  });
  db = createDb({ url: app.databaseUrl, maxConnections: 2 });
  scratch = mkdtempSync(path.join(tmpdir(), "quickstart-"));
}, 300_000);
afterAll(async () => {
  await db?.destroy();
  await app?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("API quickstart", () => {
  it("goes from an API key to a finished MP4 and a verified webhook, using only fetch and standardwebhooks", async () => {
    const userId = await createFundedUser(db, 20);
    const { token } = await createApiKey(db, { userId, name: "quickstart", scopes: ["read", "generate"] });
    const photo = path.join(scratch, "photo.jpg");
    writeFileSync(photo, testPhoto());
    const out = path.join(scratch, "video.mp4");

    const result = await quickstart({ apiUrl: `${app.url}/api/v1`, apiKey: token, photo, out, timeoutMs: 240_000 });
    expect(result.generation.status).toBe("succeeded");
    expect(result.mp4.subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(result.webhook.event).toMatchObject({
      type: "generation.succeeded",
      data: { id: result.generation.id, status: "succeeded", private: true },
    });
    // The endpoint it registered is gone again, its delivery logged as a success first.
    expect(await db.selectFrom("webhook_endpoints").select("id").where("user_id", "=", userId).execute()).toEqual([]);

    // Revoked and wrong-scope keys are refused by the real server too.
    const readOnly = await createApiKey(db, { userId, name: "read only", scopes: ["read"] });
    const denied = await fetch(`${app.url}/api/v1/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${readOnly.token}`, "content-type": "application/json" },
      body: JSON.stringify({ url: "https://example.com/hook", events: ["generation.succeeded"] }),
    });
    expect(denied.status).toBe(403);
    await db.updateTable("api_keys").set({ revoked_at: new Date() }).where("id", "=", token.split("_")[1]!).execute();
    expect((await fetch(`${app.url}/api/v1/webhooks`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      401,
    );
  }, 400_000);
});
