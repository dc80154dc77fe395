// The privacy policy promises that providers receive the prompt, the parameters and the
// uploaded media, and never account credentials, payment data or browsing data. Drive a
// submission through every route to its fake and inspect every request the fakes recorded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { models, parseModelParams } from "@animateimg/catalog";
import type { FakeProviders } from "@animateimg/provider-fakes";
import type { ProviderAdapter } from "./adapter";
import { createProviderRegistry } from "./provider-registry";
import {
  fakeRegistryConfig,
  pollToEnd,
  startFakes,
  startWebhookReceiver,
  submitRequestFor,
  type WebhookReceiver,
} from "./testing/fake-harness";

// What the calling activity knows about the person and must never forward.
const person = {
  userId: "3f9c2a7e-user-0000-4c1d-9b7e-5a6d2c1b0f99",
  email: "maria.lopez@example.com",
  name: "Maria Lopez",
  sessionToken: "sess_4b1f0c9e7a2d",
  stripeCustomerId: "cus_Q8xYz12AbCdEf",
  paymentMethodId: "pm_1PqRsTuVwXyZ",
  cardLast4: "4242",
};
const generationId = "9d2e6b4a-1c3f-4e5a-8b7c-6d5e4f3a2b1c";

describe("what reaches providers", () => {
  let fakes: FakeProviders;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    fakes = await startFakes();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await fakes.stop();
    await receiver.stop();
  });

  it("is only the prompt, the parameters and the media, on every route", async () => {
    const registry = createProviderRegistry(fakeRegistryConfig(fakes));
    let submissions = 0;
    for (const model of models) {
      for (const provider of model.routes) {
        if (provider === "local") continue;
        const adapter = registry.get(provider) as ProviderAdapter;
        const parsed = parseModelParams(model.id, {});
        if (!parsed.ok) throw new Error(parsed.message);
        if (adapter.unsupportedReason(model.id, parsed.params, { hasEndFrame: true }) !== null) continue;
        const request = submitRequestFor(fakes, model.id, parsed.params, {
          prompt: "A red kite over the dunes",
          webhookUrl: receiver.url(provider),
          endFrame: model.inputs.endFrame === "optional",
          generationId,
          attempt: submissions + 1,
        });
        const { providerJobId } = await adapter.submit(request);
        await pollToEnd(adapter, model.id, providerJobId);
        await adapter.cancel(model.id, providerJobId);
        submissions++;
      }
    }
    expect(submissions).toBeGreaterThanOrEqual(14);

    const toProviders = fakes.requests.filter(
      (r) => r.provider !== "media" && r.provider !== "outputs" && r.provider !== "control",
    );
    expect(toProviders.length).toBeGreaterThan(submissions * 2);
    const forbidden = Object.values(person);
    for (const recorded of toProviders) {
      const headerText = JSON.stringify(recorded.headers);
      const everything = `${recorded.path}\n${headerText}\n${recorded.body}`;
      for (const value of forbidden) expect(everything, `${recorded.provider} ${recorded.path}`).not.toContain(value);
      expect(recorded.headers.cookie, `${recorded.provider} sent a cookie`).toBeUndefined();
      expect(Object.keys(recorded.headers).filter((h) => h !== "user-agent" && /user|session|email/i.test(h))).toEqual(
        [],
      );
      // The generation id travels only as Kling's external_task_id (lets a lost task be found
      // again); it is a random UUID, not personal data. Nowhere else.
      const withoutExternalId = recorded.body.replace(/"external_task_id":"[^"]*"/, "");
      expect(
        `${recorded.path}${withoutExternalId}${headerText}`,
        `${recorded.provider} leaked the generation id`,
      ).not.toContain(generationId);
    }

    // The callback URL is the route and nothing else: no ids or tokens in a query string.
    const callbackUrls = toProviders.flatMap((r) =>
      [...`${r.path} ${r.body}`.matchAll(/http:\/\/127\.0\.0\.1:\d+\/api\/webhooks\/[a-z]+[^"\s]*/g)].map((m) =>
        decodeURIComponent(m[0]),
      ),
    );
    expect(callbackUrls.length).toBeGreaterThan(0);
    for (const url of callbackUrls) expect(url).toMatch(/\/api\/webhooks\/(kling|google|bytedance|kie|fal|replicate)$/);
  });
});
