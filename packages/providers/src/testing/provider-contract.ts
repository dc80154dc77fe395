// The contract every adapter must keep with its provider, run against that provider's fake:
// lifecycle to a downloadable MP4, cancel, error classification, moderation after submit,
// webhook verification (valid, forged, stale, duplicate). Each adapter's test file calls it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelId } from "@animateimg/catalog";
import type { FakeProviderId, FakeProviders, Fault } from "@animateimg/provider-fakes";
import { ProviderError, type JobStatus, type ProviderAdapter, type ProviderErrorKind } from "../adapter";
import { webhookDeliveryKey } from "../webhook-intake";
import {
  downloadMp4,
  fakeAdapter,
  pollToEnd,
  startFakes,
  startWebhookReceiver,
  submitRequestFor,
  waitFor,
  type ReceivedWebhook,
  type WebhookReceiver,
} from "./fake-harness";

export interface ProviderContractSpec {
  provider: FakeProviderId;
  modelId: ModelId;
  params: Record<string, unknown>;
  /** Whether the provider can stop a queued job (a poll after cancel says canceled). */
  cancelStops: boolean;
  /** The kind the provider's "out of balance" answer maps to. Default quota. */
  quotaKind?: ProviderErrorKind;
  /** The protocol has no queued state (Gemini operations, Kie's Veo successFlag). */
  noQueuedState?: boolean;
  /** Whether running statuses carry progress (parsed from logs). */
  reportsProgress?: boolean;
  /** Whether the provider reports a queue position while queued. */
  reportsQueuePosition?: boolean;
  webhooks:
    | { mode: "none" }
    | { mode: "unsigned" }
    | {
        mode: "signed";
        /** Whether a valid signature makes the claimed status trustworthy (false: Kie signs the task id only). */
        verifiedStatus: boolean;
        /** A delivery re-signed with a timestamp 10 minutes old. */
        stale(fakes: FakeProviders, delivery: ReceivedWebhook): { headers: Headers; rawBody: string };
        /** A delivery whose signature cannot match. */
        forged(delivery: ReceivedWebhook): { headers: Headers; rawBody: string };
      };
}

export async function expectProviderError(promise: Promise<unknown>, kind: ProviderErrorKind): Promise<ProviderError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ProviderError(${kind})`).toBeInstanceOf(ProviderError);
  const providerError = error as ProviderError;
  expect(providerError.kind, providerError.message).toBe(kind);
  return providerError;
}

export function describeProviderContract(spec: ProviderContractSpec): void {
  describe(`${spec.provider} adapter against its fake (${spec.modelId})`, () => {
    let fakes: FakeProviders;
    let adapter: ProviderAdapter;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      fakes = await startFakes();
      adapter = fakeAdapter(fakes, spec.provider);
      receiver = await startWebhookReceiver();
    });
    afterAll(async () => {
      await fakes.stop();
      await receiver.stop();
    });

    const inject = (fault: Fault) => fakes.control.injectFault(spec.provider, { times: 1, ...fault });
    const request = (options: Parameters<typeof submitRequestFor>[3] = {}) =>
      submitRequestFor(fakes, spec.modelId, spec.params, options);

    it("submits, polls through queued and running, and ends with a downloadable MP4", async () => {
      expect(adapter.unsupportedReason(spec.modelId, spec.params, { hasEndFrame: false })).toBeNull();
      const { providerJobId } = await adapter.submit(request());
      expect(providerJobId).toBeTruthy();
      const seen = await pollToEnd(adapter, spec.modelId, providerJobId);
      const states = seen.map((s) => s.state);
      expect(states[states.length - 1]).toBe("succeeded");
      expect(states).toContain("running");
      if (!spec.noQueuedState) expect(states).toContain("queued");
      if (spec.reportsProgress)
        expect(seen.find((s) => s.state === "running")).toMatchObject({ progress: expect.any(Number) as unknown });
      if (spec.reportsQueuePosition)
        expect(seen.find((s) => s.state === "queued")).toMatchObject({ queuePosition: expect.any(Number) as unknown });
      const last = seen[seen.length - 1] as Extract<JobStatus, { state: "succeeded" }>;
      const video = await downloadMp4(last.outputUrl, last.outputHeaders);
      expect(video.status).toBe(200);
      expect(video.isMp4).toBe(true);
      expect(video.bytes.byteLength).toBeGreaterThan(1000);
    });

    it("cancels best-effort", async () => {
      const { providerJobId } = await adapter.submit(request());
      await adapter.cancel(spec.modelId, providerJobId);
      if (spec.cancelStops) expect((await adapter.poll(spec.modelId, providerJobId)).state).toBe("canceled");
    });

    it("reports moderation after an accepted submit as a failed poll with kind content_policy", async () => {
      inject({ kind: "moderation" });
      const { providerJobId } = await adapter.submit(request());
      const seen = await pollToEnd(adapter, spec.modelId, providerJobId);
      const last = seen[seen.length - 1]!;
      expect(last.state).toBe("failed");
      if (last.state === "failed") expect(last.error.kind).toBe("content_policy");
    });

    it("classifies errors: 5xx transient, 429 with Retry-After, invalid input, content policy, quota, malformed body", async () => {
      inject({ kind: "server_error" });
      await expectProviderError(adapter.submit(request()), "transient");
      inject({ kind: "rate_limit", retryAfterSeconds: 3 });
      const limited = await expectProviderError(adapter.submit(request()), "rate_limited");
      expect(limited.retryAfterMs).toBe(3000);
      inject({ kind: "invalid_input" });
      await expectProviderError(adapter.submit(request()), "invalid_input");
      inject({ kind: "content_policy" });
      await expectProviderError(adapter.submit(request()), "content_policy");
      inject({ kind: "quota" });
      await expectProviderError(adapter.submit(request()), spec.quotaKind ?? "quota");
      inject({ kind: "malformed" });
      await expectProviderError(adapter.submit(request()), "transient");
    });

    it("classifies a wrong key as auth", async () => {
      await expectProviderError(fakeAdapter(fakes, spec.provider, { wrongKey: true }).submit(request()), "auth");
    });

    it("times out a hung provider as transient and tolerates a slow one", async () => {
      inject({ kind: "hang" });
      await expectProviderError(fakeAdapter(fakes, spec.provider, { timeoutMs: 300 }).submit(request()), "transient");
      inject({ kind: "slow", delayMs: 50 });
      await expect(adapter.submit(request())).resolves.toMatchObject({ providerJobId: expect.any(String) as unknown });
    });

    it("maps a failing poll to an error and honours a marker in the prompt", async () => {
      const { providerJobId } = await adapter.submit(request());
      fakes.control.injectFault(spec.provider, { kind: "server_error", on: "poll", times: 1 });
      await expectProviderError(adapter.poll(spec.modelId, providerJobId), "transient");
      await expectProviderError(adapter.submit(request({ prompt: "a cat [fake:rate_limit]" })), "rate_limited");
    });

    it("turns an answer in an undocumented shape into a provider_protocol error, at submit and at poll", async () => {
      fakes.control.injectFault(spec.provider, { kind: "shape_change", on: "submit", times: 1 });
      const changed = await expectProviderError(adapter.submit(request()), "provider_protocol");
      expect(changed.message).toMatch(/documented shape/);
      const { providerJobId } = await adapter.submit(request());
      fakes.control.injectFault(spec.provider, { kind: "shape_change", on: "poll", times: 1 });
      await expectProviderError(adapter.poll(spec.modelId, providerJobId), "provider_protocol");
      // The next, well-formed answer reads normally again.
      await expect(adapter.poll(spec.modelId, providerJobId)).resolves.toMatchObject({
        state: expect.any(String) as unknown,
      });
    });

    it("hands over an output URL that the fake can expire", async () => {
      inject({ kind: "expired_output" });
      const { providerJobId } = await adapter.submit(request());
      const last = (await pollToEnd(adapter, spec.modelId, providerJobId)).at(-1) as Extract<
        JobStatus,
        { state: "succeeded" }
      >;
      expect(last.state).toBe("succeeded");
      expect((await downloadMp4(last.outputUrl, last.outputHeaders)).status).toBe(403);
    });

    const hooks = spec.webhooks;
    if (hooks.mode === "none") {
      it("has no webhooks", async () => {
        await expect(adapter.parseWebhook({ headers: new Headers(), rawBody: "{}" })).rejects.toBeInstanceOf(
          ProviderError,
        );
      });
      return;
    }

    async function deliveredFor(jobId: string, count = 1): Promise<ReceivedWebhook[]> {
      return waitFor(() => {
        const mine = receiver.received.filter((r) => r.rawBody.includes(jobId));
        return mine.length >= count ? mine : undefined;
      }, `${count} webhook(s) for ${jobId}`);
    }

    it("accepts the webhook it sends on completion", async () => {
      const { providerJobId } = await adapter.submit(request({ webhookUrl: receiver.url(spec.provider) }));
      fakes.control.completeJob(spec.provider, providerJobId);
      const [first] = await deliveredFor(providerJobId);
      const terminal = await waitFor(() => {
        const mine = receiver.received.filter((r) => r.rawBody.includes(providerJobId));
        return mine.length > 0 ? mine[mine.length - 1] : undefined;
      }, "terminal webhook");
      expect(first).toBeDefined();
      const parsed = await adapter.parseWebhook(terminal);
      expect(parsed.providerJobId).toBe(providerJobId);
      expect(parsed.verified).toBe(hooks.mode === "signed" && hooks.verifiedStatus);
      if (parsed.claimedStatus) expect(["succeeded", "running"]).toContain(parsed.claimedStatus.state);
      expect(terminal.path).toBe(`/api/webhooks/${spec.provider}`);
    });

    if (hooks.mode === "signed") {
      it("refuses forged and stale webhooks", async () => {
        const { providerJobId } = await adapter.submit(request({ webhookUrl: receiver.url(spec.provider) }));
        fakes.control.completeJob(spec.provider, providerJobId);
        const [delivery] = await deliveredFor(providerJobId);
        await expectProviderError(adapter.parseWebhook(hooks.forged(delivery!)), "auth");
        await expectProviderError(adapter.parseWebhook(hooks.stale(fakes, delivery!)), "auth");
        await expectProviderError(adapter.parseWebhook({ headers: new Headers(), rawBody: delivery!.rawBody }), "auth");
      });
    }

    it("parses a duplicated webhook to the same job and the same delivery key", async () => {
      inject({ kind: "duplicate_webhook" });
      const { providerJobId } = await adapter.submit(request({ webhookUrl: receiver.url(spec.provider) }));
      fakes.control.completeJob(spec.provider, providerJobId);
      const pair = await waitFor(() => {
        const mine = receiver.received.filter((r) => r.rawBody.includes(providerJobId));
        const twin = mine.find((a, i) => mine.some((b, j) => j !== i && b.rawBody === a.rawBody));
        return twin ? mine.filter((m) => m.rawBody === twin.rawBody) : undefined;
      }, "a duplicated webhook");
      const [a, b] = [await adapter.parseWebhook(pair[0]!), await adapter.parseWebhook(pair[1]!)];
      expect(a.providerJobId).toBe(providerJobId);
      expect(b).toEqual(a);
      expect(webhookDeliveryKey(pair[0]!.headers, pair[0]!.rawBody)).toBe(
        webhookDeliveryKey(pair[1]!.headers, pair[1]!.rawBody),
      );
    });
  });
}

/** Copies a delivery's headers with some replaced. */
export function withHeaders(delivery: { headers: Headers }, replace: Record<string, string>): Headers {
  const headers = new Headers(delivery.headers);
  for (const [key, value] of Object.entries(replace)) headers.set(key, value);
  return headers;
}

export const tenMinutesAgo = () => Math.floor(Date.now() / 1000) - 600;
