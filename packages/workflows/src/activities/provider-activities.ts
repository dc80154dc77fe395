import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { Context } from "@temporalio/activity";
import { ApplicationFailure, CancelledFailure } from "@temporalio/common";
import type { ModelId } from "@animateimg/catalog";
import type { Db } from "@animateimg/db";
import { listAssetOriginals } from "@animateimg/assets";
import {
  attemptHasStarted,
  clearSubmitSent,
  findAttemptProviderJobId,
  getAttemptStartedAt,
  getAttemptSubmitState,
  getProviderCircuits,
  getRoutingInputs,
  getSubmitInputs,
  recordProgress,
  recordProviderJobId,
  recordSubmitSent,
  recordUncertainJob,
  startAttempt,
} from "@animateimg/generations";
import { extractPoster, probeVideo } from "@animateimg/media";
import {
  ProviderError,
  type ProviderAdapter,
  type ProviderErrorKind,
  type SubmitRequest,
  type ProviderRegistry,
  type RemoteProviderId,
} from "@animateimg/providers";
import type { BlobStore } from "@animateimg/storage";
import type { ProviderOutput } from "../shared";
import { storeGenerationOutput } from "./store-generation-output";

export interface ProviderActivityDeps {
  db: Db;
  blobStore: BlobStore;
  scratchDir: string;
  providers: ProviderRegistry;
  /**
   * A URL the provider can fetch one of our blobs from (short-lived, signed). Providers fetch
   * media themselves; nothing else about the user is ever sent.
   */
  mediaUrlFor: (key: string) => string;
  /** Our public callback URL for a provider, when this deployment is reachable from outside. */
  webhookUrlFor?: (provider: RemoteProviderId) => string | undefined;
  /** The largest output we copy (bytes). */
  maxOutputBytes?: number;
}

/** Failure types the workflow reads: `provider:<kind>`. Non-retryable ones end the attempt at once. */
export const providerFailureType = (
  kind: ProviderErrorKind | "output_unavailable" | "timeout" | "submit_uncertain" | "poll_unanswered",
) => `provider:${kind}`;

/** Refusals that prove the provider created nothing: a new submit of the same request is safe. */
const refusedOutright = (error: unknown) =>
  error instanceof ProviderError &&
  (error.kind === "invalid_input" ||
    error.kind === "content_policy" ||
    error.kind === "auth" ||
    error.kind === "quota" ||
    error.kind === "rate_limited");

/** Poll answers that say nothing about the job (its provider is busy or unreachable): poll again. */
const pollErrorIsTransient = (error: unknown) =>
  error instanceof ProviderError &&
  (error.kind === "transient" || error.kind === "rate_limited" || error.kind === "unknown");

function toFailure(error: unknown, provider: string): never {
  if (error instanceof ProviderError) {
    const retryable = error.kind === "transient" || error.kind === "rate_limited" || error.kind === "unknown";
    throw ApplicationFailure.create({
      message: `${provider}: ${error.message}`,
      type: providerFailureType(error.kind),
      nonRetryable: !retryable,
      // Honour Retry-After instead of our own backoff.
      ...(error.kind === "rate_limited" && error.retryAfterMs !== undefined
        ? { nextRetryDelay: error.retryAfterMs }
        : {}),
      cause: error,
    });
  }
  throw error;
}

/** Whether the provider can find this request's job by a mark of ours (Kling's external id, Replicate's and BytePlus's lists). */
const canLookUp = (adapter: ProviderAdapter, request: SubmitRequest) =>
  adapter.findJob !== undefined && (adapter.canFindJob?.(request) ?? true);

function adapterFor(deps: ProviderActivityDeps, provider: string) {
  const adapter = deps.providers.get(provider as RemoteProviderId);
  if (!adapter) throw ApplicationFailure.nonRetryable(`${provider} is not configured`, providerFailureType("auth"));
  return adapter;
}

/** Waits `ms`, or less if the activity is canceled; leaves no listener behind either way. */
const sleepUnlessCanceled = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

export function createProviderActivities(deps: ProviderActivityDeps) {
  const { db } = deps;

  /**
   * Submits the attempt's job at most once. The job id is stored before any wait. A submit whose
   * outcome is unknown (timeout, 5xx, reset, malformed answer, or this worker killed mid-request)
   * may have created a job: where the adapter can find a job by our own id it is looked up before
   * any resubmit (a resubmit carries the same id, so the provider refuses a duplicate); where it
   * cannot, the attempt is recorded as an uncertain job and ends (`submit_uncertain`) — a second
   * blind submit could be a second bill.
   */
  async function submitOnce(options: { generationId: string; attemptNo: number; provider: string }): Promise<string> {
    await startAttempt(db, options);
    const existing = await getAttemptSubmitState(db, options);
    if (existing.providerJobId) return existing.providerJobId;
    const adapter = adapterFor(deps, options.provider);
    const uncertain = () =>
      ApplicationFailure.nonRetryable(
        `${options.provider}: a submit may have created a job we cannot look up`,
        providerFailureType("submit_uncertain"),
      );
    if (existing.jobUncertain) throw uncertain();

    const request = await buildSubmitRequest(options, adapter);
    if (existing.submitSentAt) {
      // An earlier try sent this submit and never recorded an answer.
      const found = await lookUp(adapter, request, options, existing.submitSentAt);
      if (found !== undefined) return found;
    }
    // Before the mark, so a search bounded by it cannot miss the job this submit creates.
    const sentAt = existing.submitSentAt ?? new Date();
    await recordSubmitSent(db, options);
    try {
      const { providerJobId } = await adapter.submit(request);
      await recordProviderJobId(db, { ...options, providerJobId });
      return providerJobId;
    } catch (error) {
      if (refusedOutright(error)) {
        await clearSubmitSent(db, options);
        toFailure(error, options.provider);
      }
      if (!(error instanceof ProviderError)) throw error;
      // The provider may have created the job: find it now, or let the retry look it up.
      const found = await lookUp(adapter, request, options, sentAt).catch((lookupError: unknown) => {
        if (lookupError instanceof ApplicationFailure && lookupError.type === providerFailureType("submit_uncertain"))
          throw lookupError;
        return undefined;
      });
      if (found !== undefined) return found;
      if (!canLookUp(adapter, request)) {
        await recordUncertainJob(db, options);
        throw uncertain();
      }
      // A hung provider: one more try would hold one of its slots for another timeout. Move on;
      // the attempt keeps its "sent" mark, so the job, if it exists, can still be found by our id.
      if (error.noAnswer) {
        throw ApplicationFailure.create({
          message: `${options.provider}: ${error.message}`,
          type: providerFailureType("transient"),
          nonRetryable: true,
          cause: error,
        });
      }
      toFailure(error, options.provider);
    }
  }

  /** Looks a possibly created job up by our own id; records it when found. */
  async function lookUp(
    adapter: ProviderAdapter,
    request: SubmitRequest,
    options: { generationId: string; attemptNo: number; provider: string },
    sentAfter: Date,
  ): Promise<string | undefined> {
    if (!adapter.findJob || !canLookUp(adapter, request)) {
      await recordUncertainJob(db, options);
      throw ApplicationFailure.nonRetryable(
        `${options.provider}: a submit may have created a job we cannot look up`,
        providerFailureType("submit_uncertain"),
      );
    }
    let providerJobId: string | undefined;
    try {
      providerJobId = await adapter.findJob(request, { sentAfter });
    } catch (error) {
      toFailure(error, options.provider);
    }
    if (providerJobId !== undefined) await recordProviderJobId(db, { ...options, providerJobId });
    return providerJobId;
  }

  async function buildSubmitRequest(
    options: { generationId: string; attemptNo: number; provider: string },
    adapter: ProviderAdapter,
  ): Promise<SubmitRequest> {
    const row = await getSubmitInputs(db, options.generationId);
    const assetIds = [row.imageAssetId, row.endFrameAssetId, row.referenceVideoAssetId].filter(
      (id): id is string => id !== null,
    );
    const assets = await listAssetOriginals(db, { userId: row.userId, assetIds });
    const byId = new Map(assets.map((a) => [a.id, a]));
    const image = byId.get(row.imageAssetId);
    if (!image)
      throw ApplicationFailure.nonRetryable("The photo for this generation is no longer available.", "input_missing");
    const endFrame = row.endFrameAssetId ? byId.get(row.endFrameAssetId) : undefined;
    const reference = row.referenceVideoAssetId ? byId.get(row.referenceVideoAssetId) : undefined;
    const webhookUrl = deps.webhookUrlFor?.(adapter.id);
    return {
      generationId: options.generationId,
      attempt: options.attemptNo,
      modelId: row.modelId as ModelId,
      prompt: row.prompt,
      params: row.params,
      media: {
        imageUrl: deps.mediaUrlFor(image.originalKey),
        imageMimeType: image.mime,
        ...(endFrame ? { endFrameUrl: deps.mediaUrlFor(endFrame.originalKey) } : {}),
        ...(reference ? { referenceVideoUrl: deps.mediaUrlFor(reference.originalKey) } : {}),
      },
      ...(webhookUrl ? { webhookUrl } : {}),
    };
  }

  return {
    /** Ordered usable routes now: enabled, able to honour the parameters, circuit not open. */
    async planRoutes(generationId: string): Promise<string[]> {
      const row = await getRoutingInputs(db, generationId);
      const health = await getProviderCircuits(db);
      const media = {
        hasEndFrame: row.endFrameAssetId !== null,
        hasPrompt: row.prompt.trim() !== "",
        ...(row.referenceDurationMs !== null ? { referenceVideoSeconds: row.referenceDurationMs / 1000 } : {}),
      };
      return deps.providers
        .routesFor(row.modelId as ModelId, row.params, media, health)
        .map((route: { provider: string }) => route.provider);
    },

    /**
     * For an attempt waiting for one of the provider's slots: "started" once it reached the
     * provider (its own deadline rules from then on), "closed" when the provider's circuit has
     * opened meanwhile (the workflow moves on instead of queueing behind a hung provider).
     */
    async providerRouteStillOpen(options: {
      generationId: string;
      attemptNo: number;
      provider: string;
    }): Promise<"waiting" | "started" | "closed"> {
      if (await attemptHasStarted(db, options)) return "started";
      const circuit = (await getProviderCircuits(db))[options.provider];
      return circuit?.state === "open" ? "closed" : "waiting";
    },

    /**
     * Runs one attempt at a provider, holding one of the provider's worker slots for the
     * job's whole life (so the slots bound jobs in flight, not just requests): submits once —
     * the job id is stored before any waiting, and a retry of this activity (after a crash,
     * or a restart on a webhook) finds it instead of paying for a second job — then polls
     * until the job ends, heartbeating and mirroring queue position and progress.
     */
    async runAtProvider(options: {
      generationId: string;
      attemptNo: number;
      provider: string;
      modelId: string;
      pollIntervalMs: number;
      /** Measured from when this attempt first ran (not from when it was queued). */
      attemptTimeoutMs: number;
      /**
       * End with `provider:poll_unanswered` when a status read goes unanswered, so the slot is
       * freed while the workflow waits (workflows that handle it say so; older ones keep polling).
       */
      releaseSlotWhenUnanswered?: boolean;
    }): Promise<ProviderOutput> {
      const context = Context.current();
      const adapter = adapterFor(deps, options.provider);
      const providerJobId = await submitOnce(options);
      const startedAt = await getAttemptStartedAt(db, options);
      const deadline = startedAt.getTime() + options.attemptTimeoutMs;
      const timedOut = () =>
        ApplicationFailure.nonRetryable(
          `${options.provider} did not finish within ${Math.round(options.attemptTimeoutMs / 1000)} s`,
          providerFailureType("timeout"),
        );
      // A failed status read is not a failed job: read again (after Retry-After when given,
      // else with backoff), keeping the job; only the job's own end or our deadline ends it.
      let pollFailures = 0;
      let lastMirrored: string | undefined;
      for (;;) {
        if (Date.now() >= deadline) throw timedOut();
        let status;
        try {
          status = await adapter.poll(options.modelId as ModelId, providerJobId);
          pollFailures = 0;
        } catch (error) {
          if (Date.now() >= deadline) throw timedOut();
          if (!pollErrorIsTransient(error)) toFailure(error, options.provider);
          // A status read with no answer (hung provider): the job stays ours and is read again,
          // but not while holding one of the provider's slots: this activity ends here and the
          // workflow runs it again after a durable wait (it resumes with the stored job id).
          if (options.releaseSlotWhenUnanswered && error instanceof ProviderError && error.noAnswer) {
            throw ApplicationFailure.create({
              message: `${options.provider}: ${error.message}`,
              type: providerFailureType("poll_unanswered"),
              nonRetryable: true,
              cause: error,
            });
          }
          pollFailures += 1;
          const backoffMs = Math.min(options.pollIntervalMs * 2 ** Math.min(pollFailures - 1, 4), 60_000);
          const waitMs = (error instanceof ProviderError ? error.retryAfterMs : undefined) ?? backoffMs;
          context.heartbeat("poll_error");
          await sleepUnlessCanceled(Math.max(0, Math.min(waitMs, deadline - Date.now())), context.cancellationSignal);
          if (context.cancellationSignal.aborted) throw new CancelledFailure("poll canceled");
          continue;
        }
        context.heartbeat(status.state);
        if (status.state === "succeeded") {
          // Only the URL crosses into workflow history: download headers can carry a provider
          // key (Google), so the copy activity asks the adapter for them itself.
          return { outputUrl: status.outputUrl, provider: options.provider };
        }
        if (status.state === "failed") toFailure(status.error, options.provider);
        if (status.state === "canceled")
          throw ApplicationFailure.nonRetryable(`${options.provider} canceled the job`, providerFailureType("unknown"));
        const queuePosition = status.state === "queued" ? status.queuePosition : undefined;
        const progress: Parameters<typeof recordProgress>[2] = {
          progress: status.progress ?? (status.state === "queued" ? 0 : 0.1),
          queuePosition: queuePosition ?? null,
          status:
            status.state === "queued"
              ? queuePosition !== undefined
                ? { code: "provider_queue_position", params: { position: queuePosition } }
                : { code: "provider_queued", params: {} }
              : { code: "provider_generating", params: {} },
        };
        // Mirrored only when it changed: a job that sits in a queue for minutes would otherwise
        // write (and wake every status stream) at each poll, with a thousand jobs in flight
        // hundreds of writes a second saying nothing new.
        const mirror = JSON.stringify(progress);
        if (mirror !== lastMirrored) {
          await recordProgress(db, options.generationId, progress);
          lastMirrored = mirror;
        }
        await sleepUnlessCanceled(
          Math.max(0, Math.min(options.pollIntervalMs, deadline - Date.now())),
          context.cancellationSignal,
        );
        if (context.cancellationSignal.aborted) throw new CancelledFailure("poll canceled");
      }
    },

    /** Best effort: tells the provider to stop a job we no longer want. */
    async cancelAtProvider(options: {
      generationId: string;
      attemptNo: number;
      provider: string;
      modelId: string;
    }): Promise<void> {
      const providerJobId = await findAttemptProviderJobId(db, options);
      if (!providerJobId) return; // never reached the provider
      try {
        await adapterFor(deps, options.provider).cancel(options.modelId as ModelId, providerJobId);
      } catch (error) {
        // A job that cannot be canceled (already done, unknown) costs nothing more to leave.
        if (error instanceof ProviderError && error.kind !== "transient" && error.kind !== "rate_limited") return;
        throw error;
      }
    },

    /**
     * Copies the provider's output into our storage at once (their URLs expire: Replicate 1 h,
     * Seedance 24 h…), checks it is a playable video, and makes the poster.
     */
    async storeProviderOutput(options: {
      generationId: string;
      attemptNo: number;
      output: ProviderOutput;
    }): Promise<void> {
      const context = Context.current();
      const dir = path.join(
        deps.scratchDir,
        `${options.generationId}-${options.attemptNo}-download-${context.info.attempt}`,
      );
      await mkdir(dir, { recursive: true });
      const alive = setInterval(() => context.heartbeat(), 1000); // probing and the poster print nothing
      try {
        const videoPath = path.join(dir, "output.mp4");
        const posterPath = path.join(dir, "poster.jpg");
        const headers =
          deps.providers
            .get(options.output.provider as RemoteProviderId)
            ?.downloadHeaders?.(options.output.outputUrl) ?? {};
        const response = await fetch(options.output.outputUrl, { headers, signal: context.cancellationSignal });
        if (!response.ok || !response.body) {
          const gone = response.status === 403 || response.status === 404 || response.status === 410;
          throw ApplicationFailure.create({
            message: `downloading the output failed with HTTP ${response.status}`,
            type: providerFailureType("output_unavailable"),
            nonRetryable: gone,
          });
        }
        const limit = deps.maxOutputBytes ?? 1024 * 1024 * 1024;
        let received = 0;
        const counted = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>).map((chunk: Buffer) => {
          received += chunk.length;
          if (received > limit)
            throw ApplicationFailure.nonRetryable(
              "the output is larger than we accept",
              providerFailureType("output_unavailable"),
            );
          context.heartbeat();
          return chunk;
        });
        await pipeline(counted, createWriteStream(videoPath));
        const probe = await probeVideo(videoPath).catch((cause: unknown) => {
          throw ApplicationFailure.create({
            message: "the output is not a playable video",
            type: providerFailureType("output_unavailable"),
            nonRetryable: true,
            cause: cause as Error,
          });
        });
        await extractPoster(videoPath, posterPath, { atSeconds: Math.min(1, probe.durationSeconds / 2) });
        await storeGenerationOutput(deps, {
          generationId: options.generationId,
          videoPath,
          posterPath,
          durationSeconds: probe.durationSeconds,
          width: probe.width,
          height: probe.height,
        });
      } finally {
        clearInterval(alive);
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

export type ProviderActivities = ReturnType<typeof createProviderActivities>;
