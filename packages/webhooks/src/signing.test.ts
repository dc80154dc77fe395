import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generationEventId, generationEventPayload, type GenerationEventFacts } from "./events";
import { generateWebhookSecret, signWebhook } from "./signing";

const facts: GenerationEventFacts = {
  id: "6f1c2f4e-1d55-4c7e-9a43-0a4f4a3b8b11",
  status: "succeeded",
  private: true,
  modelId: "animate",
  prompt: "a slow push in on grandma's garden",
  failureReason: null,
  priceCredits: 2,
  output: { durationMs: 2000, width: 640, height: 480, bytes: 12345 },
  createdAt: new Date("2026-12-02T08:00:00Z"),
  finishedAt: new Date("2026-12-02T08:00:30Z"),
  apiKeyId: null,
};

describe("Standard Webhooks signing", () => {
  it("produces headers the standardwebhooks package verifies, for the exact body", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify(
      generationEventPayload(facts, {
        type: "generation.succeeded",
        at: new Date(),
        apiBaseUrl: "https://x.test/api/v1",
      }),
    );
    const headers = signWebhook({
      secret,
      messageId: generationEventId(facts.id, "generation.succeeded"),
      body,
      timestamp: new Date(),
    });
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const verified = new Webhook(secret).verify(body, { ...headers }) as { type: string; data: { id: string } };
    expect(verified).toMatchObject({ type: "generation.succeeded", data: { id: facts.id, status: "succeeded" } });
    // The same signature as the reference implementation computes.
    expect(headers["webhook-signature"]).toBe(
      new Webhook(secret).sign(headers["webhook-id"], new Date(Number(headers["webhook-timestamp"]) * 1000), body),
    );
  });

  it("fails verification for a changed body, another secret, another id or a stale timestamp", () => {
    const secret = generateWebhookSecret();
    const body = '{"type":"generation.failed"}';
    const now = new Date();
    const headers = signWebhook({ secret, messageId: "msg_1", body, timestamp: now });
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": "msg_2" })).toThrow(
      WebhookVerificationError,
    );
    const stale = signWebhook({ secret, messageId: "msg_1", body, timestamp: new Date(now.getTime() - 10 * 60_000) });
    expect(() => new Webhook(secret).verify(body, { ...stale })).toThrow(/timestamp/i);
  });

  it("names a generation's event the same every time, and each type differently", () => {
    expect(generationEventId(facts.id, "generation.succeeded")).toBe(
      generationEventId(facts.id, "generation.succeeded"),
    );
    expect(generationEventId(facts.id, "generation.succeeded")).not.toBe(
      generationEventId(facts.id, "generation.failed"),
    );
    expect(generationEventId(facts.id, "generation.canceled")).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
  });

  it("sends a private generation's ids and status only: no prompt, output or URL", () => {
    const at = new Date();
    const privateBody = JSON.stringify(
      generationEventPayload(facts, { type: "generation.succeeded", at, apiBaseUrl: "https://x.test/api/v1" }),
    );
    expect(privateBody).not.toContain("garden");
    expect(privateBody).not.toMatch(/https?:/);
    expect(Object.keys((JSON.parse(privateBody) as { data: object }).data).sort()).toEqual([
      "apiKeyId",
      "finishedAt",
      "id",
      "object",
      "private",
      "status",
    ]);
    const shared = generationEventPayload(
      { ...facts, private: false },
      { type: "generation.succeeded", at, apiBaseUrl: "https://x.test/api/v1" },
    );
    expect(shared.data).toMatchObject({
      prompt: facts.prompt,
      downloadUrl: `https://x.test/api/v1/generations/${facts.id}/download`,
    });
  });
});
