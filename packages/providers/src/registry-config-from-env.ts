// Turns the validated provider variables (providerConfigEnv in @animateimg/config, parsed by an
// app's env module) into the registry's config. Takes values, never reads process.env.
import type { ProviderRegistryConfig } from "./provider-registry";

export interface ProviderEnvValues {
  KLING_ACCESS_KEY?: string;
  KLING_SECRET_KEY?: string;
  KLING_BASE_URL?: string;
  GOOGLE_GEMINI_API_KEY?: string;
  GOOGLE_GEMINI_WEBHOOK_SECRET?: string;
  GOOGLE_GEMINI_BASE_URL?: string;
  GOOGLE_VEO_MODEL?: string;
  BYTEPLUS_ARK_API_KEY?: string;
  BYTEPLUS_ARK_BASE_URL?: string;
  BYTEPLUS_SEEDANCE_MODEL?: string;
  KIE_API_KEY?: string;
  KIE_BASE_URL?: string;
  KIE_WEBHOOK_HMAC_KEY?: string;
  FAL_KEY?: string;
  FAL_QUEUE_BASE_URL?: string;
  FAL_JWKS_URL?: string;
  REPLICATE_API_TOKEN?: string;
  REPLICATE_BASE_URL?: string;
  REPLICATE_WEBHOOK_SECRET?: string;
  PROVIDER_REQUEST_TIMEOUT_MS?: number;
  REPLICATE_UPLOAD_MEDIA?: boolean;
  FAL_UPLOAD_MEDIA?: boolean;
  FAL_STORAGE_BASE_URL?: string;
  FAL_ADMIN_KEY?: string;
  FAL_PLATFORM_BASE_URL?: string;
}

export function providerRegistryConfigFromEnv(env: ProviderEnvValues): ProviderRegistryConfig {
  return {
    timeoutMs: env.PROVIDER_REQUEST_TIMEOUT_MS,
    kling: { baseUrl: env.KLING_BASE_URL, accessKey: env.KLING_ACCESS_KEY, secretKey: env.KLING_SECRET_KEY },
    google: { baseUrl: env.GOOGLE_GEMINI_BASE_URL, apiKey: env.GOOGLE_GEMINI_API_KEY, model: env.GOOGLE_VEO_MODEL, webhookSecret: env.GOOGLE_GEMINI_WEBHOOK_SECRET },
    bytedance: { baseUrl: env.BYTEPLUS_ARK_BASE_URL, apiKey: env.BYTEPLUS_ARK_API_KEY, model: env.BYTEPLUS_SEEDANCE_MODEL },
    kie: { baseUrl: env.KIE_BASE_URL, apiKey: env.KIE_API_KEY, webhookHmacKey: env.KIE_WEBHOOK_HMAC_KEY },
    fal: {
      baseUrl: env.FAL_QUEUE_BASE_URL,
      apiKey: env.FAL_KEY,
      jwksUrl: env.FAL_JWKS_URL,
      uploadMedia: env.FAL_UPLOAD_MEDIA,
      storageBaseUrl: env.FAL_STORAGE_BASE_URL,
      platformBaseUrl: env.FAL_PLATFORM_BASE_URL,
      adminApiKey: env.FAL_ADMIN_KEY,
    },
    replicate: { baseUrl: env.REPLICATE_BASE_URL, apiToken: env.REPLICATE_API_TOKEN, webhookSecret: env.REPLICATE_WEBHOOK_SECRET, uploadMedia: env.REPLICATE_UPLOAD_MEDIA },
  };
}
