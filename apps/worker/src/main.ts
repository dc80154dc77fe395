import { createDb } from "@animateimg/db";
import { createWorker } from "@animateimg/workflows/worker";
import { env } from "./env";

const db = createDb({ url: env.DATABASE_URL });
const { worker, connection } = await createWorker({
  address: env.TEMPORAL_ADDRESS,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  deps: { db },
});

// Temporal's worker installs its own SIGINT/SIGTERM handlers that begin a graceful
// shutdown (in-flight activities finish or heartbeat-time out); run() resolves after it.
console.log(`worker: polling task queue "${env.TEMPORAL_TASK_QUEUE}" on ${env.TEMPORAL_ADDRESS} (${env.TEMPORAL_NAMESPACE})`);
try {
  await worker.run();
} finally {
  await connection.close();
  await db.destroy();
  console.log("worker: stopped");
}
