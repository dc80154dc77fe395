// The machinery every fake protocol shares: jobs and their lifecycle, faults, webhook delivery
// (with duplicates and reordering on demand), output URLs that can expire, and the request log.
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";

export type FakeProviderId = "kling" | "google" | "bytedance" | "kie" | "fal" | "replicate";
export const fakeProviderIds: readonly FakeProviderId[] = ["kling", "google", "bytedance", "kie", "fal", "replicate"];

/** Faults that change how the fake answers an API request. */
export type RequestFaultKind =
  | "server_error" // 5xx in the provider's envelope
  | "rate_limit" // 429 with Retry-After
  | "hang" // never answers (until the server stops)
  | "slow" // answers after delayMs
  | "malformed" // 200 with a body that is not JSON
  | "invalid_input" // the provider's "bad parameter" answer
  | "content_policy" // refused at submit by moderation
  | "quota" // out of balance
  | "lost_response" // processed (a job is created), then answered 502: the caller never sees the id
  | "shape_change"; // processed, then answered 2xx JSON whose id and status fields changed type (an API change)

/** Faults that change what happens to a job after an accepted submit. */
export type JobFaultKind =
  | "moderation" // accepted, then fails moderation
  | "duplicate_webhook" // every webhook sent twice
  | "out_of_order_webhook" // intermediate webhooks sent after the terminal one
  | "expired_output"; // the output URL answers as expired

export type FaultKind = RequestFaultKind | JobFaultKind;

export interface Fault {
  kind: FaultKind;
  /** How many requests (request faults) or jobs (job faults) it applies to. Default: until cleared. */
  times?: number;
  /** Request faults: which requests. Default "any". */
  on?: "submit" | "poll" | "any";
  /** rate_limit: the Retry-After value. Default 2. */
  retryAfterSeconds?: number;
  /** slow: the delay. Default 1000. */
  delayMs?: number;
}

const requestFaultKinds = new Set<string>([
  "server_error",
  "rate_limit",
  "hang",
  "slow",
  "malformed",
  "invalid_input",
  "content_policy",
  "quota",
  "lost_response",
  "shape_change",
]);
const jobFaultKinds = new Set<string>(["moderation", "duplicate_webhook", "out_of_order_webhook", "expired_output"]);
export const isRequestFault = (kind: string): kind is RequestFaultKind => requestFaultKinds.has(kind);
export const isJobFault = (kind: string): kind is JobFaultKind => jobFaultKinds.has(kind);

/** `[fake:rate_limit]` anywhere in a request body switches that fault on for that request/job. */
export function faultMarkers(rawBody: string): FaultKind[] {
  return [...rawBody.matchAll(/\[fake:([a-z_]+)\]/g)]
    .map((m) => m[1])
    .filter((k): k is FaultKind => k !== undefined && (isRequestFault(k) || isJobFault(k)));
}

export interface Lifecycle {
  /** Polls answered "queued" (with a queue position counting down). Default 1. */
  queuedPolls: number;
  /** The poll at which the job is finished. Default 3 (queued, running, done). */
  pollsToComplete: number;
  /** When set, the job also finishes this long after submit (drives webhooks without polling). */
  completeAfterMs?: number;
}

export const defaultLifecycle: Lifecycle = { queuedPolls: 1, pollsToComplete: 3 };

export type JobPhase = "queued" | "running" | "done";
export type JobOutcome = "succeeded" | "moderation" | "canceled";

export interface FakeJob {
  id: string;
  provider: FakeProviderId;
  /** Protocol-specific: model name, endpoint id or operation kind. */
  model: string;
  kind: string;
  input: unknown;
  callbackUrl: string | undefined;
  createdAt: number;
  updatedAt: number;
  polls: number;
  phase: JobPhase;
  outcome: JobOutcome | undefined;
  flags: Set<JobFaultKind>;
  outputId: string;
  /** Webhook bodies held back to be sent after the terminal one (out_of_order_webhook). */
  heldWebhooks: Array<() => Promise<void>>;
  /** Protocol-specific extras (e.g. Replicate's events filter). */
  extra: Record<string, unknown>;
}

export interface RecordedRequest {
  provider: FakeProviderId | "outputs" | "media" | "control";
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface WebhookDelivery {
  provider: FakeProviderId;
  jobId: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** HTTP status the receiver answered, or undefined when it could not be reached. */
  responseStatus: number | undefined;
  at: number;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Send `body` as is (a string, or a Buffer with its own content-type header) rather than as JSON. */
  raw?: boolean;
  /**
   * A streamed answer (server-sent events): called with the open response after the status and
   * headers are written; it writes events and ends the response itself. `body` is ignored.
   */
  stream?: (res: ServerResponse) => Promise<void>;
}

export type PhaseListener = (job: FakeJob, previous: JobPhase) => void;

/** Shared state of one fake server. Protocols read and drive it. */
export class FakeState {
  readonly jobs = new Map<string, FakeJob>();
  readonly requests: RecordedRequest[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  readonly faults = new Map<FakeProviderId, Fault[]>();
  readonly lifecycles = new Map<FakeProviderId, Lifecycle>();
  /** Output URLs issued; expired ones answer 403. */
  readonly outputs = new Map<string, { jobId: string; expiresAt: number; expired: boolean }>();
  readonly listeners = new Map<FakeProviderId, PhaseListener>();
  outputTtlMs = 60 * 60 * 1000;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Resolvers waiting for a job to change phase (sync create, status streams). */
  private readonly phaseWaiters = new Set<{ job: FakeJob; resolve: () => void }>();
  private readonly pendingDeliveries = new Set<Promise<void>>();
  stopped = false;

  constructor(readonly origin: string) {}

  lifecycle(provider: FakeProviderId): Lifecycle {
    return this.lifecycles.get(provider) ?? defaultLifecycle;
  }

  /** Takes the request fault that applies now (markers first), consuming one use. */
  takeRequestFault(provider: FakeProviderId, phase: "submit" | "poll", markers: FaultKind[]): Fault | undefined {
    const marked = markers.find(isRequestFault);
    if (marked) return { kind: marked };
    const list = this.faults.get(provider) ?? [];
    const index = list.findIndex(
      (f) => isRequestFault(f.kind) && (f.on === undefined || f.on === "any" || f.on === phase),
    );
    if (index < 0) return undefined;
    return this.consume(list, index);
  }

  takeJobFaults(provider: FakeProviderId, markers: FaultKind[]): Set<JobFaultKind> {
    const flags = new Set<JobFaultKind>(markers.filter(isJobFault));
    const list = this.faults.get(provider) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const fault = list[i];
      if (fault && isJobFault(fault.kind)) {
        flags.add(fault.kind);
        this.consume(list, i);
      }
    }
    return flags;
  }

  private consume(list: Fault[], index: number): Fault {
    const fault = list[index]!;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) list.splice(index, 1);
    }
    return fault;
  }

  createJob(
    provider: FakeProviderId,
    fields: {
      model: string;
      kind: string;
      input: unknown;
      callbackUrl: string | undefined;
      flags: Set<JobFaultKind>;
      id?: string;
    },
  ): FakeJob {
    const now = Date.now();
    const job: FakeJob = {
      id: fields.id ?? randomUUID(),
      provider,
      model: fields.model,
      kind: fields.kind,
      input: fields.input,
      callbackUrl: fields.callbackUrl,
      createdAt: now,
      updatedAt: now,
      polls: 0,
      phase: "queued",
      outcome: undefined,
      flags: fields.flags,
      outputId: randomBytes(12).toString("hex"),
      heldWebhooks: [],
      extra: {},
    };
    this.jobs.set(`${provider}:${job.id}`, job);
    const completeAfterMs = this.lifecycle(provider).completeAfterMs;
    if (completeAfterMs !== undefined) this.later(completeAfterMs, () => this.finish(job));
    return job;
  }

  getJob(provider: FakeProviderId, id: string): FakeJob | undefined {
    return this.jobs.get(`${provider}:${id}`);
  }

  /** One status read: advances the job by the poll-driven lifecycle. */
  poll(job: FakeJob): void {
    if (job.phase === "done") return;
    job.polls += 1;
    const lifecycle = this.lifecycle(job.provider);
    if (job.polls >= lifecycle.pollsToComplete) this.finish(job);
    else if (job.polls > lifecycle.queuedPolls) this.setPhase(job, "running");
  }

  /** Queue position while queued: counts down with each poll. */
  queuePosition(job: FakeJob): number {
    return Math.max(1, this.lifecycle(job.provider).queuedPolls - job.polls + 1);
  }

  progress(job: FakeJob): number {
    if (job.phase === "done") return 100;
    if (job.phase === "queued") return 0;
    const { pollsToComplete } = this.lifecycle(job.provider);
    return Math.min(99, Math.round((job.polls / pollsToComplete) * 100));
  }

  finish(job: FakeJob, outcome?: JobOutcome): void {
    if (job.phase === "done") return;
    if (job.phase === "queued") this.setPhase(job, "running");
    job.outcome = outcome ?? (job.flags.has("moderation") ? "moderation" : "succeeded");
    if (job.outcome === "succeeded") {
      this.outputs.set(job.outputId, {
        jobId: job.id,
        expiresAt: Date.now() + this.outputTtlMs,
        expired: job.flags.has("expired_output"),
      });
    }
    this.setPhase(job, "done");
  }

  cancel(job: FakeJob): void {
    if (job.phase === "done") return;
    job.outcome = "canceled";
    this.setPhase(job, "done");
  }

  private setPhase(job: FakeJob, phase: JobPhase): void {
    const previous = job.phase;
    if (previous === phase) return;
    job.phase = phase;
    job.updatedAt = Date.now();
    this.listeners.get(job.provider)?.(job, previous);
    for (const waiter of [...this.phaseWaiters]) {
      if (waiter.job !== job) continue;
      this.phaseWaiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** Resolves when the job next changes phase, or after `ms` (or at stop), whichever is first. */
  nextPhase(job: FakeJob, ms: number): Promise<void> {
    if (job.phase === "done" || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        job,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.phaseWaiters.delete(waiter);
        resolve();
      }, ms);
      this.phaseWaiters.add(waiter);
    });
  }

  outputUrl(job: FakeJob): string {
    return `${this.origin}/outputs/${job.outputId}.mp4`;
  }

  /**
   * Sends one webhook, honouring the job's duplicate/out-of-order flags. `terminal` says whether
   * this is the job's last event (held intermediate events follow it when reordering).
   */
  webhook(job: FakeJob, terminal: boolean, build: () => { headers: Record<string, string>; body: string }): void {
    const url = job.callbackUrl;
    if (!url || this.stopped) return;
    // Snapshot now: a held (reordered) event must carry the status it had when it happened.
    const { headers, body } = build();
    const send = async () => {
      await this.deliver(job, url, headers, body);
      if (job.flags.has("duplicate_webhook")) await this.deliver(job, url, headers, body);
    };
    if (!terminal && job.flags.has("out_of_order_webhook")) {
      job.heldWebhooks.push(send);
      return;
    }
    const run = async () => {
      await send();
      if (terminal) for (const held of job.heldWebhooks.splice(0)) await held();
    };
    const pending = run().catch(() => undefined);
    this.pendingDeliveries.add(pending);
    void pending.finally(() => this.pendingDeliveries.delete(pending));
  }

  private async deliver(job: FakeJob, url: string, headers: Record<string, string>, body: string): Promise<void> {
    let responseStatus: number | undefined;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      responseStatus = response.status;
      await response.arrayBuffer();
    } catch {
      responseStatus = undefined;
    }
    this.deliveries.push({ provider: job.provider, jobId: job.id, url, headers, body, responseStatus, at: Date.now() });
  }

  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.phaseWaiters) waiter.resolve();
    this.phaseWaiters.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.pendingDeliveries]);
  }
}

const idKeys = new Set(["id", "request_id", "task_id", "taskId", "name"]);
const statusKeys = new Set(["status", "task_status", "state", "successFlag", "done"]);

/**
 * What an unannounced API change looks like on the wire: the same answer with every id field
 * null and every status field an object. Valid JSON, so only a reader that checks the documented
 * shape notices.
 */
export function changeShape(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(changeShape);
  if (!isRecord(body)) return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      idKeys.has(key) ? null : statusKeys.has(key) ? { value } : changeShape(value),
    ]),
  );
}

export function sendResponse(res: ServerResponse, response: ApiResponse): void {
  if (response.stream) {
    res.writeHead(response.status, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
      ...response.headers,
    });
    void response.stream(res).catch(() => res.end());
    return;
  }
  const body = Buffer.isBuffer(response.body)
    ? response.body
    : response.raw
      ? String(response.body)
      : response.body === undefined
        ? ""
        : JSON.stringify(response.body);
  res.writeHead(response.status, {
    "content-type": response.raw ? "text/html" : "application/json",
    ...response.headers,
  });
  res.end(body);
}

/** What a protocol module offers the server. */
export interface FakeProtocol {
  id: FakeProviderId;
  /** Answers one API request (path without the provider prefix), or undefined for 404. */
  handle(request: ProtocolRequest): Promise<ApiResponse | undefined> | ApiResponse | undefined;
  /** The provider's envelope for an injected fault. */
  faultResponse(fault: Fault): ApiResponse;
  /** Whether this request is a submit (faults can target submits or polls). */
  isSubmit(method: string, path: string): boolean;
  /** Whether the request carries valid credentials; the answer for bad ones. */
  authorize(
    headers: IncomingHttpHeaders,
    method: string,
    path: string,
  ): Promise<ApiResponse | undefined> | ApiResponse | undefined;
}

export interface ProtocolRequest {
  method: string;
  /** Path after the provider prefix, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body as received (file uploads). */
  bodyBytes: Buffer;
  json: unknown;
  markers: FaultKind[];
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  return value?.startsWith("Bearer ") ? value.slice("Bearer ".length) : undefined;
}
