import { loadEnvOrExit } from "@animateimg/config";
import { providerConfigEnv } from "@animateimg/providers";

/** Provider keys for verifying callbacks; all optional (a provider without a key is disabled). */
export const providerEnv = loadEnvOrExit(providerConfigEnv, process.env);
