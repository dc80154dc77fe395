import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineSignal,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from "@temporalio/workflow";
// The light subpath, not the package index: the index builds every model's zod schema, and
// workflow code is evaluated once per workflow in the worker's cache (the reusable V8 context
// shares only the SDK's own modules), so each cached generation would carry its own copy.
import { providerLabel } from "@animateimg/catalog/provider-words";
import type { Status } from "@animateimg/core";
import type { Activities } from "../activities";
import { generationSearchAttributes, type GenerationOutcome } from "../search-attributes";
import {
  generationSignals,
  localRenderTaskQueue,
  providerTaskQueue,
  type DeleteGenerationOutputsInput,
  type GenerationWorkflowInput,
  type GenerationWorkflowState,
  type ProviderOutput,
  type ProviderUpdateSignal,
} from "../shared";

// No status query: nothing in production read it. Postgres is the source of truth the web
// side reads (activities mirror every phase there, and the live status stream follows the
// row), and a query answers only while a worker can replay the workflow, so a second live view
// would be a worse copy of the row. The state is still the workflow's result.
export const cancelSignal = defineSignal(generationSignals.cancel);
export const providerUpdateSignal = defineSignal<[ProviderUpdateSignal]>(generationSignals.providerUpdate);

// Bookkeeping activities: quick, idempotent, retried until they succeed (a database blip
// must never lose a generation).
const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: "30 seconds",
  retry: { initialInterval: "1 second", maximumInterval: "30 seconds", backoffCoefficient: 2 },
});

function renderActivities(input: GenerationWorkflowInput) {
  return proxyActivities<Activities>({
    taskQueue: localRenderTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: input.timeouts?.renderStartToCloseTimeout ?? "15 minutes",
    heartbeatTimeout: input.timeouts?.renderHeartbeatTimeout ?? "30 seconds",
    // Transient render failures retry a few times; the same input failing again is final.
    retry: {
      initialInterval: "1 second",
      maximumInterval: "10 seconds",
      maximumAttempts: 4,
      nonRetryableErrorTypes: ["input_missing"],
    },
  });
}

/** Submit and poll run on the provider's own queue, whose worker enforces its limits. */
function providerActivities(provider: string, input: GenerationWorkflowInput) {
  const taskQueue = providerTaskQueue(workflowInfo().taskQueue, provider);
  const initialInterval = input.timeouts?.providerRetryInitialInterval ?? "2 seconds";
  return proxyActivities<Activities>({
    taskQueue,
    startToCloseTimeout: "2 hours", // the workflow's own timer bounds the wait
    heartbeatTimeout: "60 seconds",
    // 5xx: a few quick retries, then fall back. 429: the activity says how long to wait.
    retry: { initialInterval, backoffCoefficient: 2, maximumInterval: "30 seconds", maximumAttempts: 4 },
  });
}

const storing = proxyActivities<Activities>({
  startToCloseTimeout: "10 minutes",
  heartbeatTimeout: "60 seconds",
  retry: { initialInterval: "2 seconds", maximumInterval: "30 seconds", maximumAttempts: 5 },
});

const nameOf = providerLabel;

/** The failure's kind: `provider:<kind>` types from provider activities, timeouts, engine errors. */
function failureKind(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  // Our Postgres or storage, not the provider or the engine: waited out, never a fallback.
  if (cause instanceof ApplicationFailure && cause.type === "infrastructure") return "infrastructure";
  if (cause instanceof TimeoutFailure) return "timeout";
  if (cause instanceof ApplicationFailure && cause.type?.startsWith("provider:"))
    return cause.type.slice("provider:".length);
  if (cause instanceof ApplicationFailure && cause.type === "input_missing") return "input_missing";
  if (error instanceof ApplicationFailure && error.type === "attempt_timeout") return "timeout";
  if (error instanceof ApplicationFailure && error.type === "route_closed") return "circuit_open";
  return "engine_error";
}

/** Errors about the request itself: another provider would refuse it too, or should not see it. */
const finalKinds = new Set(["invalid_input", "content_policy", "input_missing"]);
/** Our own infrastructure still failing after the whole wait: no other route would do better. */
const infrastructureKinds = new Set(["infrastructure"]);

/** How a generation that ends on a failure of `kind` is told to its owner: a code, never words. */
function finalStatus(kind: string, detail: string): Status {
  switch (kind) {
    case "content_policy":
      return { code: "failed_content_policy", params: {} };
    case "invalid_input":
      return { code: "failed_invalid_input", params: { detail } };
    case "input_missing":
      return { code: "failed_input_missing", params: {} };
    case "infrastructure":
      return { code: "failed_infrastructure", params: {} };
    default:
      return { code: "failed_all_routes", params: {} };
  }
}

/**
 * One generation, start to finish: reserve its price, run it on each route in turn until
 * one succeeds, store the output, capture the credits. Whatever ends it otherwise — a
 * failure, a cancel — releases the reservation in a scope that cannot itself be cancelled.
 */
export async function generationWorkflow(input: GenerationWorkflowInput): Promise<GenerationWorkflowState> {
  const { generationId } = input;
  const state: GenerationWorkflowState = {
    phase: "reserving",
    route: null,
    attemptNo: 0,
    progress: 0,
    status: { code: "starting", params: {} },
  };

  const work = new CancellationScope();
  let cancelRequested = false;
  setHandler(cancelSignal, () => {
    cancelRequested = true;
    work.cancel();
  });
  // A webhook says "look now": the wait below re-reads the job at once.
  let nudges = 0;
  setHandler(providerUpdateSignal, () => {
    nudges += 1;
  });

  const plan = await bookkeeping.loadGenerationPlan(generationId);
  // Model and outcome as search attributes, so operators can list failures (the workflow
  // itself completes either way). Versioned: histories recorded before it have no upserts.
  const searchable = patched("search-attributes");
  if (searchable) upsertSearchAttributes([{ key: generationSearchAttributes.model, value: plan.modelId }]);
  const ended = (outcome: GenerationOutcome) => {
    if (searchable) upsertSearchAttributes([{ key: generationSearchAttributes.outcome, value: outcome }]);
    return state;
  };
  // Terminal: outbound webhooks for the owner's endpoints, then the outcome. Versioned
  // ("outbound-webhooks"): histories recorded before it end without this activity. Not
  // cancellable: a canceled generation's own event must still be sent.
  const settled = async (outcome: GenerationOutcome) => {
    if (patched("outbound-webhooks"))
      await CancellationScope.nonCancellable(() => bookkeeping.emitGenerationWebhooks(generationId));
    return ended(outcome);
  };
  if (plan.status !== "queued" && plan.status !== "running") {
    state.phase = plan.status === "succeeded" ? "succeeded" : "failed";
    return ended(plan.status === "succeeded" ? "succeeded" : plan.status === "canceled" ? "canceled" : "failed");
  }

  const reservation = await bookkeeping.reserveGenerationCredits(generationId);
  if (!reservation.ok) {
    state.phase = "failed";
    // Histories recorded before statuses were codes carry only the English message.
    state.status = reservation.status ?? { code: "insufficient_credits", params: {} };
    await bookkeeping.markGenerationFailed(generationId, {
      status: "failed",
      reason: "insufficient_credits",
      statusDetail: state.status,
    });
    return settled("failed");
  }

  const render = renderActivities(input);
  // The latest route that failed, for "Kling was busy; trying Kie" (as a code and its parameters).
  // (Cast, not annotated: they are set inside callbacks, which narrowing does not follow.)
  let lastFailure = null as { from: string; reason: string } | null;
  // Set where a failure is decided to be final; worded for the owner in the catch below.
  let finalFailure = null as Status | null;

  /**
   * Runs a step, and while it fails because our own Postgres or storage is down, waits (durable
   * timer, backoff up to a minute) and runs it again: an outage of minutes delays the
   * generation, it never fails it, falls back or counts against a provider. Past the budget
   * (default one hour) the failure goes on as is.
   */
  async function outlastingInfrastructure<T>(step: () => Promise<T>): Promise<T> {
    const budgetMs = input.timeouts?.infrastructureWaitMs ?? 3600_000;
    let waitedMs = 0;
    let delayMs = 2000;
    for (;;) {
      try {
        return await step();
      } catch (error) {
        if (failureKind(error) !== "infrastructure" || waitedMs >= budgetMs) throw error;
        await sleep(delayMs);
        waitedMs += delayMs;
        delayMs = Math.min(delayMs * 2, 60_000);
      }
    }
  }
  // The attempt currently at a provider, so a cancel can reach its job.
  let liveJob: { provider: string; attemptNo: number } | null = null;

  /**
   * Runs an attempt at a provider: submitted once, then polled; a webhook restarts the poll
   * at once (the activity resumes with the stored job id); bounded by a durable timer.
   */
  async function runAtProvider(provider: string, attemptNo: number): Promise<ProviderOutput> {
    const atProvider = providerActivities(provider, input);
    const attemptTimeoutMs = input.timeouts?.providerAttemptTimeoutMs ?? 20 * 60_000;
    // The activity enforces the attempt's own deadline; this durable timer is the backstop
    // that bounds every wait, our own queue for the provider's slots included.
    const backstopMs = attemptTimeoutMs + (input.timeouts?.providerWaitBackstopMs ?? 6 * 3600_000);
    let timedOut = false;
    const timer = sleep(backstopMs).then(() => {
      timedOut = true;
    });
    // Not always raced below (while watching for a slot): a cancel must not leave its rejection unhandled.
    timer.catch(() => {});
    // While the attempt waits for one of the provider's slots, the route plan keeps adapting: if
    // the provider's circuit opens meanwhile (others' attempts there hang or fail), this one
    // gives up its place in the queue and the generation moves to the next route.
    let watching = patched("provider-slot-watch");
    const watchEveryMs = input.timeouts?.providerSlotWatchMs ?? 15_000;
    let routeClosed = false;
    // A status read the provider left unanswered ends the activity (freeing its slot); the job is
    // kept and read again after a durable wait that grows while the provider stays silent.
    const releaseSlotWhenUnanswered = patched("poll-unanswered-frees-slot");
    const pollIntervalMs = input.timeouts?.providerPollIntervalMs ?? 5000;
    let unanswered = 0;
    for (;;) {
      const seen = nudges;
      const pollScope = new CancellationScope();
      const polling = pollScope.run(() =>
        atProvider.runAtProvider({
          generationId,
          attemptNo,
          provider,
          modelId: plan.modelId,
          pollIntervalMs,
          attemptTimeoutMs,
          ...(releaseSlotWhenUnanswered ? { releaseSlotWhenUnanswered } : {}),
        }),
      );
      polling.catch(() => {}); // its outcome is read below or deliberately dropped
      let result: ProviderOutput | undefined;
      let failure: unknown;
      let settled = false;
      void polling.then(
        (value) => {
          result = value;
          settled = true;
        },
        (error: unknown) => {
          failure = error;
          settled = true;
        },
      );
      const woken = () => settled || nudges > seen || timedOut;
      while (!woken() && !routeClosed) {
        if (!watching) {
          await Promise.race([condition(woken), timer]);
          break;
        }
        await condition(woken, watchEveryMs);
        if (woken()) break;
        const route = await bookkeeping.providerRouteStillOpen({ generationId, attemptNo, provider });
        if (route === "closed") routeClosed = true;
        else if (route === "started") watching = false; // at the provider: its deadline rules now
      }
      if (settled) {
        if (result) return result;
        if (releaseSlotWhenUnanswered && failureKind(failure) === "poll_unanswered" && !timedOut) {
          unanswered += 1;
          await Promise.race([sleep(Math.min(pollIntervalMs * 2 ** Math.min(unanswered - 1, 6), 30_000)), timer]);
          if (timedOut)
            throw ApplicationFailure.nonRetryable(`${nameOf(provider)} did not finish in time`, "attempt_timeout");
          continue; // the activity resumes the stored job; its deadline still bounds the attempt
        }
        throw failure;
      }
      pollScope.cancel();
      if (timedOut)
        throw ApplicationFailure.nonRetryable(`${nameOf(provider)} did not finish in time`, "attempt_timeout");
      if (routeClosed)
        throw ApplicationFailure.nonRetryable(
          `${nameOf(provider)} circuit opened while waiting for a slot`,
          "route_closed",
        );
      // Nudged by a webhook: loop, which polls again immediately.
    }
  }

  try {
    await work.run(async () => {
      const routes = await bookkeeping.planRoutes(generationId);
      if (routes.length === 0) {
        finalFailure = { code: "no_route", params: { model: plan.modelId } };
        throw ApplicationFailure.nonRetryable(`No video service can run ${plan.modelLabel} right now.`, "no_route");
      }
      state.phase = "running";
      let lastKind = "unknown";
      const replan = patched("replan-each-route");
      for (const [index, route] of routes.entries()) {
        // The plan adapts while the generation runs: a later route whose provider's circuit has
        // opened since the start is skipped.
        if (replan && index > 0 && !(await bookkeeping.planRoutes(generationId)).includes(route)) continue;
        state.route = route;
        state.attemptNo += 1;
        const attemptNo = state.attemptNo;
        state.status =
          route === "local"
            ? { code: "render_started", params: {} }
            : { code: "sent_to_provider", params: { provider: route } };
        await bookkeeping.markGenerationRunning(
          generationId,
          lastFailure ? { code: "provider_fallback", params: { ...lastFailure, to: route } } : state.status,
        );
        try {
          let engineMs: number | undefined;
          if (route === "local") {
            engineMs = (
              await outlastingInfrastructure(() => render.renderWithAnimateEngine({ generationId, attemptNo }))
            ).renderMs;
          } else {
            liveJob = { provider: route, attemptNo };
            const output = await outlastingInfrastructure(() => runAtProvider(route, attemptNo));
            liveJob = null;
            state.phase = "storing";
            await outlastingInfrastructure(() => storing.storeProviderOutput({ generationId, attemptNo, output }));
            state.phase = "running";
          }
          await bookkeeping.recordAttemptOutcome({
            generationId,
            attemptNo,
            outcome: "succeeded",
            ...(engineMs !== undefined ? { engineMs } : {}),
          });
          return;
        } catch (error) {
          if (isCancellation(error)) throw error;
          const kind = failureKind(error);
          lastKind = kind;
          const job = liveJob;
          liveJob = null;
          await CancellationScope.nonCancellable(async () => {
            // A job we stop waiting for is stopped at the provider too, so it is not billed on.
            if (job)
              await bookkeeping.cancelAtProvider({
                generationId,
                attemptNo: job.attemptNo,
                provider: job.provider,
                modelId: plan.modelId,
              });
            await bookkeeping.recordAttemptOutcome({
              generationId,
              attemptNo,
              outcome: kind === "timeout" ? "timed_out" : "failed",
              errorKind: kind,
              errorMessage: error instanceof Error ? error.message.slice(0, 500) : String(error),
            });
          });
          if (infrastructureKinds.has(kind)) {
            finalFailure = finalStatus(kind, "");
            throw ApplicationFailure.nonRetryable("our infrastructure stayed unavailable", "final:infrastructure");
          }
          if (finalKinds.has(kind)) {
            const detail = error instanceof ActivityFailure && error.cause ? error.cause.message : String(error);
            finalFailure = finalStatus(kind, detail);
            throw ApplicationFailure.nonRetryable(`final ${kind}: ${detail}`, `final:${kind}`);
          }
          lastFailure = { from: route, reason: kind };
        }
      }
      finalFailure = finalStatus(lastKind, "");
      throw ApplicationFailure.nonRetryable("every route failed", "final:all_routes_failed");
    });
  } catch (error) {
    const canceled = cancelRequested || isCancellation(error);
    await CancellationScope.nonCancellable(async () => {
      const job = liveJob;
      if (canceled && job) {
        await bookkeeping.cancelAtProvider({
          generationId,
          attemptNo: job.attemptNo,
          provider: job.provider,
          modelId: plan.modelId,
        });
      }
      if (canceled && state.attemptNo > 0) {
        await bookkeeping.recordAttemptOutcome({ generationId, attemptNo: state.attemptNo, outcome: "canceled" });
      }
      await bookkeeping.releaseGenerationCredits(generationId);
      state.phase = canceled ? "canceled" : "failed";
      state.status = canceled
        ? { code: "canceled", params: {} }
        : error instanceof ApplicationFailure &&
            (error.type?.startsWith("final:") || error.type === "no_route") &&
            finalFailure
          ? finalFailure
          : { code: "failed_generic", params: {} };
      await bookkeeping.markGenerationFailed(generationId, {
        status: canceled ? "canceled" : "failed",
        reason: canceled
          ? "canceled"
          : error instanceof ApplicationFailure && error.type
            ? error.type.replace(/^final:/, "")
            : "generation_failed",
        statusDetail: state.status,
      });
    });
    return settled(canceled ? "canceled" : "failed");
  }

  state.phase = "settling";
  await bookkeeping.captureGenerationCredits(generationId);
  state.phase = "succeeded";
  state.progress = 1;
  // "Kling was busy; finished on fal", or "Done" when the first route made it.
  state.status =
    lastFailure && state.route
      ? { code: "finished_after_fallback", params: { ...lastFailure, provider: state.route } }
      : { code: "done", params: {} };
  await bookkeeping.markGenerationSucceeded(generationId, state.status);
  return settled("succeeded");
}

/** Waits out the undo window, then removes a deleted generation's files (if still deleted). */
export async function deleteGenerationOutputsWorkflow(
  input: DeleteGenerationOutputsInput,
): Promise<{ deleted: number }> {
  await sleep(input.undoWindow ?? "30 seconds");
  return bookkeeping.deleteGenerationOutputs(input.generationId);
}
