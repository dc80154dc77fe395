// Temporal Schedules this application needs, registered by every worker at start (create, or
// update to this definition when it exists: idempotent, and a deploy that changes a schedule
// rolls it out). Each schedule id is derived from the task queue, so several deployments (or
// test runs) sharing one Temporal namespace never fight over a schedule.
// Add a schedule: write a definition function below and list it in `applicationSchedules`.
import {
  ScheduleAlreadyRunning,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsAction,
} from "@temporalio/client";
import { msToNumber } from "@temporalio/common/lib/time";
import { reconcileGenerationsScheduleId, retentionSweepScheduleId } from "./workflow-ids";

/** A duration as Temporal's clients take it (ms strings such as "1 minute", or milliseconds). */
type Duration = string | number;
/** Temporal's overlap policies, by name. */
type ScheduleOverlapPolicy = "SKIP" | "BUFFER_ONE" | "BUFFER_ALL" | "CANCEL_OTHER" | "TERMINATE_OTHER" | "ALLOW_ALL";
import { workflowTypes, type ReconcileGenerationsInput, type RetentionSweepInput } from "./shared";

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
  /** Retention sweep bounds (tests shorten them). */
  retention?: RetentionSweepInput;
  /** Tests tick faster than production. */
  retentionEvery?: Duration;
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
    scheduleId: reconcileGenerationsScheduleId(context.taskQueue),
    note: "Restarts or ends generations that have no open workflow",
    workflowType: workflowTypes.reconcileGenerations,
    args: [context.reconcile ?? {}],
    every: context.reconcileEvery ?? "1 minute",
    overlap: "SKIP",
    catchupWindow: "1 minute",
    executionTimeout: "5 minutes",
  };
}

/**
 * The retention sweep: every hour, data past its retention is removed, class by class
 * (`@animateimg/retention`). SKIP: a sweep still running at the next tick is doing that tick's
 * work (every class removes whatever is old by then), so a second one would only contend for
 * the same rows. A one-hour catch-up window: after a Temporal outage of up to an hour the missed
 * sweep runs as soon as the server is back instead of waiting for the next tick; after a longer
 * one, a single sweep (the next tick) does all the missed work, so replaying each missed hour
 * would add nothing. A run that has not finished after 50 minutes is closed before the next tick
 * (the classes bound their batches, so this only catches a stuck run).
 */
export function retentionSweepSchedule(context: ScheduleContext): ScheduledWorkflowDefinition {
  return {
    scheduleId: retentionSweepScheduleId(context.taskQueue),
    note: "Removes data past its retention (expired sessions, old webhook records, deleted generations, …)",
    workflowType: workflowTypes.retentionSweep,
    args: [context.retention ?? {}],
    every: context.retentionEvery ?? "1 hour",
    overlap: "SKIP",
    catchupWindow: "1 hour",
    executionTimeout: "50 minutes",
  };
}

/** Every schedule the worker registers at start. */
export function applicationSchedules(context: ScheduleContext): ScheduledWorkflowDefinition[] {
  return [reconcileGenerationsSchedule(context), retentionSweepSchedule(context)];
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

/**
 * Creates each schedule, or brings an existing one to this definition. A schedule that already
 * matches is left untouched (no update, no new conflict token): a restart changes nothing.
 * Returns what it did per schedule id.
 */
export async function ensureSchedules(
  client: Client,
  taskQueue: string,
  definitions: ScheduledWorkflowDefinition[],
): Promise<Record<string, "created" | "updated" | "unchanged">> {
  const outcome: Record<string, "created" | "updated" | "unchanged"> = {};
  for (const definition of definitions) {
    const options = scheduleOptions(definition, taskQueue);
    try {
      await client.schedule.create({ scheduleId: definition.scheduleId, ...options });
      outcome[definition.scheduleId] = "created";
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      const handle = client.schedule.getHandle(definition.scheduleId);
      if (matches(await handle.describe(), definition, taskQueue)) {
        outcome[definition.scheduleId] = "unchanged";
        continue;
      }
      await handle.update(() => options);
      outcome[definition.scheduleId] = "updated";
    }
  }
  return outcome;
}

/** Whether a registered schedule already is this definition (the fields we set). */
function matches(
  description: ScheduleDescription,
  definition: ScheduledWorkflowDefinition,
  taskQueue: string,
): boolean {
  const { action, spec, policies, state } = description;
  const interval = spec.intervals?.length === 1 ? spec.intervals[0] : undefined;
  return (
    action.type === "startWorkflow" &&
    action.workflowType === definition.workflowType &&
    action.taskQueue === taskQueue &&
    action.workflowId === definition.scheduleId &&
    action.workflowExecutionTimeout !== undefined &&
    msToNumber(action.workflowExecutionTimeout) === msToNumber(definition.executionTimeout) &&
    JSON.stringify(action.args ?? []) === JSON.stringify(definition.args) &&
    (spec.calendars?.length ?? 0) === 0 &&
    interval !== undefined &&
    msToNumber(interval.every) === msToNumber(definition.every) &&
    !interval.offset &&
    policies.overlap === definition.overlap &&
    policies.catchupWindow === msToNumber(definition.catchupWindow) &&
    !policies.pauseOnFailure &&
    !state.paused &&
    state.note === definition.note
  );
}
