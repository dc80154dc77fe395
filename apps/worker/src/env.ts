import { databaseEnv, loadEnvOrExit, temporalEnv } from "@animateimg/config";

export const env = loadEnvOrExit(databaseEnv.extend(temporalEnv.shape), process.env);
