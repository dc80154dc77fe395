import { z } from "zod";
import { databaseEnv, loadEnvOrExit, temporalEnv } from "@animateimg/config";

const schema = databaseEnv.extend(temporalEnv.shape).extend({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
});

/** Server-only: importing this from a client component would leak nothing, but fail to build. */
export const env = loadEnvOrExit(schema, process.env);
