import { optionalSecret, optionalUrl } from "@animateimg/config";
import { z } from "zod";
import { defineProvider, present, type Optional } from "../registration";
import { createBytedanceAdapter, type BytedanceAdapterOptions } from "./bytedance-adapter";

const env = z.object({
  BYTEPLUS_ARK_API_KEY: optionalSecret,
  BYTEPLUS_ARK_BASE_URL: optionalUrl,
  BYTEPLUS_SEEDANCE_MODEL: optionalSecret,
});

export const bytedanceProvider = defineProvider<"bytedance", Optional<BytedanceAdapterOptions, "apiKey">, typeof env>({
  id: "bytedance",
  label: "ByteDance",
  operatorLabel: "ByteDance (BytePlus)",
  env,
  fromEnv: (values) => ({
    baseUrl: values.BYTEPLUS_ARK_BASE_URL,
    apiKey: values.BYTEPLUS_ARK_API_KEY,
    model: values.BYTEPLUS_SEEDANCE_MODEL,
  }),
  createAdapter: (section, shared) =>
    present(section.apiKey) ? createBytedanceAdapter({ ...shared, ...section, apiKey: section.apiKey }) : undefined,
  webhook: { signed: false, scheme: "unsigned callback on every status change: re-queried before trusting" },
  limits: { perSecond: 2, concurrentJobs: 10, source: "per-account quotas (unverified here): a conservative default" },
  relativeCosts: { "seedance-2": 1 },
});
