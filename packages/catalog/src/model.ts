import type { z } from "zod";
import type { FieldSpec } from "./fields";

export type ModelId = "animate" | "kling-3" | "veo-3.1" | "seedance-2" | "motion-control";

/** Who can run a model: the in-house engine, a provider's own API, or an aggregator. */
export type ProviderId = "local" | "kling" | "google" | "bytedance" | "kie" | "fal" | "replicate";

/** Media a model takes besides the prompt. */
export interface ModelInputs {
  image: "required";
  endFrame: "optional" | "unsupported";
  referenceVideo: "required" | "unsupported";
}

/** What the price depends on beyond the parameters (known once the inputs are probed). */
export interface PriceContext {
  referenceVideoSeconds?: number;
}

export interface ModelDefinition<Schema extends z.ZodObject = z.ZodObject> {
  id: ModelId;
  label: string;
  /** One line for the model picker. */
  tagline: string;
  goodAt: string[];
  /** Plain-words limits, e.g. "3–15 s", "no aspect ratio: follows the photo". */
  limits: string[];
  inputs: ModelInputs;
  /** Longest prompt the model accepts. 0: the model takes no prompt. */
  promptMaxLength: number;
  paramsSchema: Schema;
  fields: FieldSpec[];
  /** Credits for one generation with these parameters. */
  price(params: z.infer<Schema>, context?: PriceContext): number;
  /** Routes in default order (DESIGN.md). */
  routes: ProviderId[];
  /** When true, routing may try a cheaper healthy route first. */
  allowCheaperRouteFirst: boolean;
}

export function defineModel<Schema extends z.ZodObject>(definition: ModelDefinition<Schema>): ModelDefinition<Schema> {
  return definition;
}
