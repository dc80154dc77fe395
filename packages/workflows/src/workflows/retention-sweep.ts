import { ActivityFailure, log, proxyActivities } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { RetentionSweepInput, RetentionSweepResult } from "../shared";

const planning = proxyActivities<Activities>({ startToCloseTimeout: "30 seconds", retry: { maximumAttempts: 3 } });

/**
 * One activity per class, so each retries on its own and one class failing (storage down) does
 * not stop the others. A batch heartbeats: a worker that dies mid-class is noticed within a
 * minute and the retry resumes from the last batch. Retries are few: the next hourly run does
 * the same work anyway.
 */
function sweeper(classId: string) {
  return proxyActivities<Activities>({
    activityId: `retention-${classId}`,
    startToCloseTimeout: "30 minutes",
    heartbeatTimeout: "1 minute",
    retry: { initialInterval: "5 seconds", backoffCoefficient: 2, maximumAttempts: 4 },
  });
}

/**
 * Removes data past its retention, class by class (`@animateimg/retention`), and reports what
 * it removed by class. Run hourly by a Temporal Schedule (schedules.ts).
 */
export async function retentionSweepWorkflow(input: RetentionSweepInput = {}): Promise<RetentionSweepResult> {
  const classes = input.classes ?? (await planning.listRetentionClasses());
  const result: RetentionSweepResult = { removed: {}, incomplete: [], failed: {} };
  for (const classId of classes) {
    try {
      const outcome = await sweeper(classId).sweepRetentionClass({
        classId,
        ...(input.batchSize ? { batchSize: input.batchSize } : {}),
        ...(input.maxBatches ? { maxBatches: input.maxBatches } : {}),
      });
      result.removed[classId] = outcome.removed;
      if (!outcome.complete) result.incomplete.push(classId);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      result.failed[classId] = error.cause?.message ?? error.message;
    }
  }
  const counts = Object.entries(result.removed)
    .map(([id, n]) => `${id}=${n}`)
    .join(" ");
  const failed = Object.keys(result.failed);
  log.info(
    `retention sweep: removed ${counts}${result.incomplete.length ? `; more left in ${result.incomplete.join(", ")}` : ""}${failed.length ? `; failed ${failed.join(", ")}` : ""}`,
    { ...result },
  );
  return result;
}
