import { optionalSecret, optionalUrl } from "@animateimg/config";
import { z } from "zod";
import { defineProvider, present, type Optional } from "../registration";
import { createKieAdapter, type KieAdapterOptions } from "./kie-adapter";

const env = z.object({
  KIE_API_KEY: optionalSecret,
  KIE_BASE_URL: optionalUrl,
  KIE_WEBHOOK_HMAC_KEY: optionalSecret,
});

export const kieProvider = defineProvider<"kie", Optional<KieAdapterOptions, "apiKey">, typeof env>({
  id: "kie",
  label: "Kie",
  operatorLabel: "Kie",
  env,
  fromEnv: (values) => ({
    baseUrl: values.KIE_BASE_URL,
    apiKey: values.KIE_API_KEY,
    webhookHmacKey: values.KIE_WEBHOOK_HMAC_KEY,
  }),
  createAdapter: (section, shared) =>
    present(section.apiKey) ? createKieAdapter({ ...shared, ...section, apiKey: section.apiKey }) : undefined,
  webhook: {
    signed: true,
    scheme: "optional HMAC-SHA256 over taskId.timestamp (the body is not signed: re-read before trusting)",
  },
  limits: { perSecond: 2, concurrentJobs: 20, source: 'Kie: "20 new requests per 10 s"' },
  // Aggregators buy in bulk: Kie is usually cheapest.
  relativeCosts: { "kling-3": 0.7, "veo-3.1": 0.5, "seedance-2": 0.8, "motion-control": 0.7 },
});
