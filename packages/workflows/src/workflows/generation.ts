import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  defineSignal,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from "@temporalio/workflow";
import type { Activities } from "../activities";
import {
  generationQueries,
  generationSignals,
  localRenderTaskQueue,
  type DeleteGenerationOutputsInput,
  type GenerationWorkflowInput,
  type GenerationWorkflowState,
} from "../shared";

export const statusQuery = defineQuery<GenerationWorkflowState>(generationQueries.status);
export const cancelSignal = defineSignal(generationSignals.cancel);

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
    retry: { initialInterval: "1 second", maximumInterval: "10 seconds", maximumAttempts: 4, nonRetryableErrorTypes: ["input_missing"] },
  });
}

function readableFailure(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === "input_missing") return "The photo for this generation is no longer available.";
  return "The video could not be made. Your credits were refunded.";
}

/**
 * One generation, start to finish: reserve its price, run it on each route in turn until
 * one succeeds, store the output, capture the credits. Whatever ends it otherwise — a
 * failure, a cancel — releases the reservation in a scope that cannot itself be cancelled.
 */
export async function generationWorkflow(input: GenerationWorkflowInput): Promise<GenerationWorkflowState> {
  const { generationId } = input;
  const state: GenerationWorkflowState = { phase: "reserving", route: null, attemptNo: 0, progress: 0, message: "Starting" };
  setHandler(statusQuery, () => state);

  const work = new CancellationScope();
  let cancelRequested = false;
  setHandler(cancelSignal, () => {
    cancelRequested = true;
    work.cancel();
  });

  const plan = await bookkeeping.loadGenerationPlan(generationId);
  if (plan.status !== "queued" && plan.status !== "running") {
    // Already finished (a re-run of a completed id is refused by Temporal, but be safe).
    state.phase = plan.status === "succeeded" ? "succeeded" : "failed";
    return state;
  }

  const reservation = await bookkeeping.reserveGenerationCredits(generationId);
  if (!reservation.ok) {
    state.phase = "failed";
    state.message = reservation.message;
    await bookkeeping.markGenerationFailed(generationId, { status: "failed", reason: "insufficient_credits", message: reservation.message });
    return state;
  }

  const render = renderActivities(input);
  try {
    await work.run(async () => {
      if (cancelRequested) throw new ApplicationFailure("canceled before start");
      if (plan.routes.length === 0) {
        throw ApplicationFailure.nonRetryable(`No provider can run ${plan.modelLabel} right now.`, "no_route");
      }
      state.phase = "running";
      let lastError: unknown;
      for (const route of plan.routes) {
        state.route = route;
        state.attemptNo += 1;
        state.message = route === "local" ? "Rendering" : `Sent to ${route}`;
        await bookkeeping.markGenerationRunning(generationId, state.message);
        try {
          let engineMs: number | undefined;
          if (route === "local") {
            engineMs = (await render.renderWithAnimateEngine({ generationId, attemptNo: state.attemptNo })).renderMs;
          } else {
            throw ApplicationFailure.nonRetryable(`route ${route} is not available`, "route_unavailable");
          }
          await bookkeeping.recordAttemptOutcome({ generationId, attemptNo: state.attemptNo, outcome: "succeeded", engineMs });
          return;
        } catch (error) {
          if (isCancellation(error)) throw error;
          lastError = error;
          await bookkeeping.recordAttemptOutcome({
            generationId,
            attemptNo: state.attemptNo,
            outcome: "failed",
            errorKind: "engine_error",
            errorMessage: readableFailure(error),
          });
        }
      }
      throw lastError ?? ApplicationFailure.nonRetryable("every route failed", "all_routes_failed");
    });
  } catch (error) {
    const canceled = cancelRequested || isCancellation(error);
    await CancellationScope.nonCancellable(async () => {
      if (canceled && state.attemptNo > 0) {
        await bookkeeping.recordAttemptOutcome({ generationId, attemptNo: state.attemptNo, outcome: "canceled" });
      }
      await bookkeeping.releaseGenerationCredits(generationId);
      state.phase = canceled ? "canceled" : "failed";
      state.message = canceled ? "Canceled. Your credits were refunded." : readableFailure(error);
      await bookkeeping.markGenerationFailed(generationId, {
        status: canceled ? "canceled" : "failed",
        reason: canceled ? "canceled" : "generation_failed",
        message: state.message,
      });
    });
    return state;
  }

  state.phase = "settling";
  await bookkeeping.captureGenerationCredits(generationId);
  state.phase = "succeeded";
  state.progress = 1;
  state.message = plan.routes.length > 1 && state.attemptNo > 1 ? `Finished on ${state.route}` : "Done";
  await bookkeeping.markGenerationSucceeded(generationId, state.message);
  return state;
}

/** Waits out the undo window, then removes a deleted generation's files (if still deleted). */
export async function deleteGenerationOutputsWorkflow(input: DeleteGenerationOutputsInput): Promise<{ deleted: number }> {
  await sleep(input.undoWindow ?? "30 seconds");
  return bookkeeping.deleteGenerationOutputs(input.generationId);
}

