import { z } from "zod";
import { checkTemporalConnection, databaseEnv, loadEnvOrExit, paymentsEnv, providerConfigEnv, temporalEnv, urlWithProtocol } from "@animateimg/config";
import { storageEnv } from "@animateimg/storage";

const schema = databaseEnv.extend(temporalEnv.shape).extend(storageEnv.shape).extend(providerConfigEnv.shape).extend(paymentsEnv.shape).extend({
  /** Public origin of the web app: providers fetch the photo from signed URLs under it. */
  APP_URL: urlWithProtocol("http:", "https:").default("http://localhost:3000"),
  /** Parent of each worker process's private scratch folder (0700); default `<tmp>/animateimg-worker-<uid>`. */
  WORKER_SCRATCH_DIR: z.string().optional(),
}).superRefine(checkTemporalConnection);

export const env = loadEnvOrExit(schema, process.env);
