import { loadEnvOrExit, providerConfigEnv } from "@animateimg/config";

/** Provider keys for verifying callbacks; all optional (a provider without a key is disabled). */
export const providerEnv = loadEnvOrExit(providerConfigEnv, process.env);
