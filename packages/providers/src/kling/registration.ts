import { optionalSecret, optionalUrl } from "@animateimg/config";
import { z } from "zod";
import { defineProvider, present, type Optional } from "../registration";
import { createKlingAdapter, type KlingAdapterOptions } from "./kling-adapter";

const env = z.object({
  KLING_ACCESS_KEY: optionalSecret,
  KLING_SECRET_KEY: optionalSecret,
  KLING_BASE_URL: optionalUrl,
});

export const klingProvider = defineProvider<"kling", Optional<KlingAdapterOptions, "baseUrl">, typeof env>({
  id: "kling",
  label: "Kling",
  operatorLabel: "Kling (Kuaishou)",
  env,
  fromEnv: (values) => ({
    baseUrl: values.KLING_BASE_URL,
    accessKey: values.KLING_ACCESS_KEY,
    secretKey: values.KLING_SECRET_KEY,
  }),
  createAdapter: (section, shared) =>
    section.auth || (present(section.accessKey) && present(section.secretKey))
      ? createKlingAdapter({ ...shared, ...section, baseUrl: section.baseUrl ?? "https://api-singapore.klingai.com" })
      : undefined,
  webhook: { signed: false, scheme: "unsigned callback on every status change: re-queried before trusting" },
  limits: {
    perSecond: 2,
    concurrentJobs: 5,
    source: "Kling returns 1303 on too many concurrent tasks (account-dependent: 5 is the documented default tier)",
  },
  relativeCosts: { "kling-3": 1, "motion-control": 1 },
});
