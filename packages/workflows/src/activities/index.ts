import type { Db } from "@animateimg/db";
import { createHealthActivities } from "./health-activities";

/** Everything activities need from the outside world; the worker builds it once. */
export interface ActivityDependencies {
  db: Db;
  /** How this worker names itself to Temporal (host and pid by default). */
  workerIdentity: string;
}

/** All activities, built from injected dependencies so tests can run them without a worker. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createHealthActivities({ workerIdentity: deps.workerIdentity }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
