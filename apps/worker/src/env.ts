import { z } from "zod";
import { databaseEnv, loadEnvOrExit, temporalEnv } from "@animateimg/config";
import { storageEnv } from "@animateimg/storage";

const schema = databaseEnv.extend(temporalEnv.shape).extend(storageEnv.shape).extend({
  /** Temporary files of renders and downloads; each attempt cleans up its own folder. */
  WORKER_SCRATCH_DIR: z.string().optional(),
});

export const env = loadEnvOrExit(schema, process.env);
