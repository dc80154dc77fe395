// Temporal Schedules this application needs, registered by every worker at start (create, or
// update to this definition when it exists: idempotent, and a deploy that changes a schedule
// rolls it out). Each schedule id is derived from the task queue, so several deployments (or
// test runs) sharing one Temporal namespace never fight over a schedule.
// Add a schedule: write a definition function below and list it in `applicationSchedules`.
import { ScheduleAlreadyRunning, type Client, type ScheduleOptionsAction } from "@temporalio/client";

/** A duration as Temporal's clients take it (ms strings such as "1 minute", or milliseconds). */
type Duration = string | number;
/** Temporal's overlap policies, by name. */
type ScheduleOverlapPolicy = "SKIP" | "BUFFER_ONE" | "BUFFER_ALL" | "CANCEL_OTHER" | "TERMINATE_OTHER" | "ALLOW_ALL";
import { workflowTypes, type ReconcileGenerationsInput } from "./shared";

export interface ScheduledWorkflowDefinition {
  scheduleId: string;
  /** Shown in the Temporal UI (the schedule's memo). */
  note: string;
  workflowType: string;
  args: unknown[];
  every: Duration;
  /** What to do when the previous run is still going at the next tick. */
  overlap: ScheduleOverlapPolicy;
  /** After the server was down, missed ticks within this window still run (per the overlap policy). */
  catchupWindow: Duration;
  /** A run that no worker picks up or finishes within this is closed: a tick never lingers forever. */
  executionTimeout: Duration;
}

export interface ScheduleContext {
  /** The deployment's main task queue; scheduled workflows run on it. */
  taskQueue: string;
  /** Reconciler bounds (tests shorten them). */
  reconcile?: ReconcileGenerationsInput;
  /** Tests tick faster than production. */
  reconcileEvery?: Duration;
}

/**
 * The reconciler: every minute, a generation queued or running with no open workflow is
 * started again under the same workflow id, or, past its bounds, failed and refunded.
 * SKIP: a pass still running when the next tick comes makes the next one redundant (it would
 * walk the same rows). A one-minute catch-up window: after a Temporal outage one pass is what we
 * want, not one per missed minute.
 */
export function reconcileGenerationsSchedule(context: ScheduleContext): ScheduledWorkflowDefinition {
  return {
    scheduleId: `${context.taskQueue}.reconcile-generations`,
    note: "Restarts or ends generations that have no open workflow",
    workflowType: workflowTypes.reconcileGenerations,
    args: [context.reconcile ?? {}],
    every: context.reconcileEvery ?? "1 minute",
    overlap: "SKIP",
    catchupWindow: "1 minute",
    executionTimeout: "5 minutes",
  };
}

/** Every schedule the worker registers at start. */
export function applicationSchedules(context: ScheduleContext): ScheduledWorkflowDefinition[] {
  return [reconcileGenerationsSchedule(context)];
}

function scheduleOptions(definition: ScheduledWorkflowDefinition, taskQueue: string) {
  const action: ScheduleOptionsAction = {
    type: "startWorkflow",
    workflowType: definition.workflowType,
    args: definition.args,
    taskQueue,
    // The schedule appends the tick's time to this id, so runs are unique and easy to find.
    workflowId: definition.scheduleId,
    workflowExecutionTimeout: definition.executionTimeout,
  };
  return {
    spec: { intervals: [{ every: definition.every }] },
    action,
    policies: { overlap: definition.overlap, catchupWindow: definition.catchupWindow, pauseOnFailure: false },
    state: { paused: false, note: definition.note },
  };
}

/** Creates each schedule, or brings an existing one to this definition. */
export async function ensureSchedules(client: Client, taskQueue: string, definitions: ScheduledWorkflowDefinition[]): Promise<void> {
  for (const definition of definitions) {
    const options = scheduleOptions(definition, taskQueue);
    try {
      await client.schedule.create({ scheduleId: definition.scheduleId, ...options });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(definition.scheduleId).update(() => options);
    }
  }
}
