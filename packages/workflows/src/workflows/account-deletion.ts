import {
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  sleep,
} from "@temporalio/workflow";
import type { Activities } from "../activities";
import {
  accountDeletionSignals,
  generationSignals,
  type AccountDeletionInput,
  type AccountDeletionResult,
} from "../shared";
import { generationWorkflowId } from "../workflow-ids";

export const accountDeletionRequestChangedSignal = defineSignal(accountDeletionSignals.requestChanged);

// Every erasure step is idempotent and keyed on the user id, so retrying forever (with backoff,
// capped) is safe; an outage of Postgres or storage only delays the deletion.
const erasure = proxyActivities<Activities>({
  startToCloseTimeout: "5 minutes",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "10 minutes" },
});

/** How often, and how many times, to look whether canceled generations have settled. */
const SETTLE_POLL = "5 seconds";
const SETTLE_POLLS = 60;

/**
 * One per account (`account-deletion-<userId>`). Waits out the grace period on a durable
 * timer; every signal (cancel, a new date) makes it re-read the request, and the database has
 * the last word before anything is erased: no request, nothing happens. Then it stops the
 * person's running generations, ends a subscription at the processor, deals with provider
 * copies, removes files and rows in batches, and finally the account itself.
 */
export async function accountDeletionWorkflow(input: AccountDeletionInput): Promise<AccountDeletionResult> {
  const { userId } = input;
  let changed = false;
  setHandler(accountDeletionRequestChangedSignal, () => {
    changed = true;
  });

  for (;;) {
    changed = false;
    const begun = await erasure.beginAccountErasure({ userId });
    if (begun.state === "canceled") return { outcome: "canceled" };
    if (begun.state === "erasing") break;
    // Woken early by a signal, or when the date comes; either way the request is read again.
    await condition(() => changed, Math.max(begun.waitMs, 1));
  }

  const result: AccountDeletionResult = {
    outcome: "erased",
    generations: 0,
    uploads: 0,
    blobs: 0,
    subscriptionsCanceled: 0,
    providerCopies: { deleted: 0, not_supported: 0, failed: 0 },
    outboxRows: 0,
    rateLimitKeys: 0,
  };

  // Running generations are canceled through their own workflows (which release the credits
  // they reserved), and given a bounded time to settle before their rows go.
  for (let poll = 0; poll < SETTLE_POLLS; poll += 1) {
    const active = await erasure.listActiveGenerationIds({ userId });
    if (active.length === 0) break;
    if (poll === 0) {
      for (const generationId of active) {
        await getExternalWorkflowHandle(generationWorkflowId(generationId))
          .signal(generationSignals.cancel)
          .catch(() => {
            // No such workflow (never started, or already ended): the row is erased regardless.
          });
      }
    }
    await sleep(SETTLE_POLL);
  }

  result.subscriptionsCanceled = (await erasure.cancelAccountSubscriptions({ userId })).canceled;
  for (;;) {
    const batch = await erasure.settleProviderCopies({ userId });
    for (const outcome of ["deleted", "not_supported", "failed"] as const)
      result.providerCopies[outcome] += batch.settled[outcome];
    if (batch.done) break;
  }
  for (;;) {
    const batch = await erasure.eraseGenerationBatch({ userId });
    result.generations += batch.erased;
    result.blobs += batch.blobs;
    if (batch.done) break;
  }
  for (;;) {
    const batch = await erasure.eraseAssetBatch({ userId });
    result.uploads += batch.erased;
    result.blobs += batch.blobs;
    if (batch.done) break;
  }
  const archives = await erasure.eraseExportArchives({ userId });
  result.blobs += archives.blobs;
  const record = await erasure.eraseAccountRecord({ userId });
  result.outboxRows = record.outboxRows;
  result.rateLimitKeys = record.rateLimitKeys;
  return result;
}
