import { optionalFlag, optionalSecret, optionalUrl } from "@animateimg/config";
import { z } from "zod";
import { defineProvider, present, type Optional } from "../registration";
import { createReplicateAdapter, type ReplicateAdapterOptions } from "./replicate-adapter";

const env = z.object({
  REPLICATE_API_TOKEN: optionalSecret,
  REPLICATE_BASE_URL: optionalUrl,
  REPLICATE_WEBHOOK_SECRET: optionalSecret,
  /** Send our media to Replicate as files (POST /v1/files) instead of our signed URLs. */
  REPLICATE_UPLOAD_MEDIA: optionalFlag,
});

export const replicateProvider = defineProvider<"replicate", Optional<ReplicateAdapterOptions, "apiToken">, typeof env>(
  {
    id: "replicate",
    label: "Replicate",
    operatorLabel: "Replicate",
    env,
    fromEnv: (values) => ({
      baseUrl: values.REPLICATE_BASE_URL,
      apiToken: values.REPLICATE_API_TOKEN,
      webhookSecret: values.REPLICATE_WEBHOOK_SECRET,
      uploadMedia: values.REPLICATE_UPLOAD_MEDIA,
    }),
    createAdapter: (section, shared) =>
      present(section.apiToken)
        ? createReplicateAdapter({ ...shared, ...section, apiToken: section.apiToken })
        : undefined,
    webhook: {
      signed: true,
      scheme: "Standard Webhooks (HMAC-SHA256, whsec_ secret); only the terminal webhook is retried",
    },
    limits: { perSecond: 10, concurrentJobs: 20, source: 'Replicate: "600 creates per minute"' },
    // Resells at or slightly above list price.
    relativeCosts: { "kling-3": 1.1, "veo-3.1": 1.05, "seedance-2": 1.15 },
  },
);
