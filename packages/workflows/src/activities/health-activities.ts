import { sql, type Db } from "@animateimg/db";
import type { HealthCheckResult } from "../shared";

const DATABASE_TIMEOUT_MS = 3000;

async function checkDatabase(db: Db): Promise<NonNullable<HealthCheckResult["database"]>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1 as ok`.execute(db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)), DATABASE_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started), error: null };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Proves a worker polls the task queue, can run activities and can reach its database. */
export function createHealthActivities({ workerIdentity, db }: { workerIdentity: string; db?: Db }) {
  return {
    async reportWorkerIdentity(): Promise<HealthCheckResult> {
      const database = db ? await checkDatabase(db) : undefined;
      return { workerIdentity, activityRanAt: Date.now(), ...(database ? { database } : {}) };
    },
  };
}
