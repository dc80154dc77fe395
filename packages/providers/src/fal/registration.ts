import { optionalFlag, optionalSecret, optionalUrl } from "@animateimg/config";
import { z } from "zod";
import { defineProvider, present, type Optional } from "../registration";
import { createFalAdapter, type FalAdapterOptions } from "./fal-adapter";

const env = z.object({
  FAL_KEY: optionalSecret,
  FAL_QUEUE_BASE_URL: optionalUrl,
  FAL_JWKS_URL: optionalUrl,
  /** Upload our media to fal's CDN first (public URLs): only for storage fal cannot reach. */
  FAL_UPLOAD_MEDIA: optionalFlag,
  /** fal's REST host for storage uploads; default https://rest.fal.ai. */
  FAL_STORAGE_BASE_URL: optionalUrl,
  /** A fal key of ADMIN scope: account deletion deletes a person's requests at fal with it (default FAL_KEY). */
  FAL_ADMIN_KEY: optionalSecret,
  /** fal's Platform API; default https://api.fal.ai/v1 (the local fakes in development). */
  FAL_PLATFORM_BASE_URL: optionalUrl,
});

export const falProvider = defineProvider<"fal", Optional<FalAdapterOptions, "apiKey">, typeof env>({
  id: "fal",
  label: "fal",
  operatorLabel: "fal",
  env,
  fromEnv: (values) => ({
    baseUrl: values.FAL_QUEUE_BASE_URL,
    apiKey: values.FAL_KEY,
    jwksUrl: values.FAL_JWKS_URL,
    uploadMedia: values.FAL_UPLOAD_MEDIA,
    storageBaseUrl: values.FAL_STORAGE_BASE_URL,
    platformBaseUrl: values.FAL_PLATFORM_BASE_URL,
    adminApiKey: values.FAL_ADMIN_KEY,
  }),
  createAdapter: (section, shared) =>
    present(section.apiKey) ? createFalAdapter({ ...shared, ...section, apiKey: section.apiKey }) : undefined,
  webhook: {
    signed: true,
    scheme: "ED25519 over request id, user id, timestamp and body hash; public keys from a JWKS URL",
  },
  limits: { perSecond: 5, concurrentJobs: 10, source: "per-account quotas (unverified here): a conservative default" },
  // Resells at or slightly above list price.
  relativeCosts: { "kling-3": 1.05, "veo-3.1": 1, "seedance-2": 1.1, "motion-control": 1.05 },
});
