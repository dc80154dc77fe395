import "server-only";
import { Client, Connection } from "@temporalio/client";
import type { ApiDependencies } from "@animateimg/api";
import { createDb } from "@animateimg/db";
import { env } from "~/env";

/**
 * One pool and one Temporal connection per process (never per request). Kept on globalThis so
 * Next's dev server does not open a new pool on every hot reload.
 */
const globalForDeps = globalThis as unknown as { animateimgDeps?: ApiDependencies };

function createDependencies(): ApiDependencies {
  let clientPromise: Promise<Client> | undefined;
  return {
    db: createDb({ url: env.DATABASE_URL }),
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    // Sessions arrive with accounts; until then every request is signed out.
    resolveSession: () => Promise.resolve(null),
    getTemporalClient: () => {
      clientPromise ??= Connection.connect({ address: env.TEMPORAL_ADDRESS, connectTimeout: 3000 })
        .then((connection) => new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }))
        .catch((error: unknown) => {
          clientPromise = undefined; // try again on the next request
          throw error;
        });
      return clientPromise;
    },
  };
}

export function getDependencies(): ApiDependencies {
  globalForDeps.animateimgDeps ??= createDependencies();
  return globalForDeps.animateimgDeps;
}
