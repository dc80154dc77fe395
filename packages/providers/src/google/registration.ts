import { optionalSecret, optionalUrl } from "@animateimg/config";
import { z } from "zod";
import { defineProvider, present, type Optional } from "../registration";
import { createGoogleAdapter, type GoogleAdapterOptions } from "./google-adapter";

const env = z.object({
  GOOGLE_GEMINI_API_KEY: optionalSecret,
  GOOGLE_GEMINI_WEBHOOK_SECRET: optionalSecret,
  GOOGLE_GEMINI_BASE_URL: optionalUrl,
  GOOGLE_VEO_MODEL: optionalSecret,
});

export const googleProvider = defineProvider<"google", Optional<GoogleAdapterOptions, "apiKey">, typeof env>({
  id: "google",
  label: "Google",
  operatorLabel: "Google (Gemini API)",
  env,
  fromEnv: (values) => ({
    baseUrl: values.GOOGLE_GEMINI_BASE_URL,
    apiKey: values.GOOGLE_GEMINI_API_KEY,
    model: values.GOOGLE_VEO_MODEL,
    webhookSecret: values.GOOGLE_GEMINI_WEBHOOK_SECRET,
  }),
  createAdapter: (section, shared) =>
    present(section.apiKey) ? createGoogleAdapter({ ...shared, ...section, apiKey: section.apiKey }) : undefined,
  webhook: { signed: true, scheme: "Standard Webhooks (HMAC-SHA256, whsec_ secret)" },
  limits: { perSecond: 1, concurrentJobs: 10, source: "per-account quotas (unverified here): a conservative default" },
  relativeCosts: { "veo-3.1": 1 },
});
