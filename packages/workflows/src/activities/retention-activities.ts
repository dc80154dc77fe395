import { Context } from "@temporalio/activity";
import { ApplicationFailure } from "@temporalio/common";
import type { Db } from "@animateimg/db";
import type { BlobStore } from "@animateimg/storage";
import {
  defaultRetentionSettings,
  findRetentionClass,
  retentionClasses,
  sweepRetentionClass,
  type RetentionSettings,
} from "@animateimg/retention";
import type { RetentionClassOutcome, SweepRetentionClassInput } from "../shared";

export interface RetentionActivityDeps {
  db: Db;
  blobStore: BlobStore;
  /** Retention periods (the worker reads them from RETENTION_* variables); defaults when omitted. */
  retention?: RetentionSettings;
}

/** What a try of sweepRetentionClass heartbeats: a retry resumes from it. */
interface SweepHeartbeat {
  removed: number;
  cursor: string | null;
  /** The first try's clock, so every try agrees on what is old. */
  now: string;
}

export function createRetentionActivities(deps: RetentionActivityDeps) {
  return {
    /** The classes this worker's code knows, in sweep order (the workflow asks, so a new class needs no workflow change). */
    listRetentionClasses(): Promise<string[]> {
      return Promise.resolve(retentionClasses.map((c) => c.id));
    },

    /**
     * Removes one class's data past retention, batch by batch, heartbeating after each batch
     * with the running count and cursor; a retry resumes there. Idempotent (every batch removes
     * only what is already past retention).
     */
    async sweepRetentionClass(input: SweepRetentionClassInput): Promise<RetentionClassOutcome> {
      const retentionClass = findRetentionClass(input.classId);
      if (!retentionClass)
        throw ApplicationFailure.nonRetryable(`unknown retention class ${input.classId}`, "unknown_retention_class");
      const context = Context.current();
      const resumed = context.info.heartbeatDetails as SweepHeartbeat | undefined;
      const now = resumed ? new Date(resumed.now) : new Date();
      const outcome = await sweepRetentionClass(
        retentionClass,
        { db: deps.db, blobStore: deps.blobStore, settings: deps.retention ?? defaultRetentionSettings, now },
        {
          ...(input.batchSize ? { batchSize: input.batchSize } : {}),
          ...(input.maxBatches ? { maxBatches: input.maxBatches } : {}),
          // A retry resumes where the last try's heartbeat said; a first try starts afresh (or
          // where the previous sweep stopped, for a class that keeps its cursor).
          ...(resumed ? { cursor: resumed.cursor, removedBefore: resumed.removed } : {}),
          onBatch: ({ removed, cursor }) =>
            context.heartbeat({ removed, cursor, now: now.toISOString() } satisfies SweepHeartbeat),
        },
      );
      return outcome;
    },
  };
}
