import type { z } from "zod";
import type { FieldSpec } from "./fields";
import type { ModelId } from "./index";
import type { ProviderId } from "./provider-words";

export type { ModelId };

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

/**
 * A model's registration record: everything else (ids, validation, the form, prices, routes,
 * the picker) derives from these. Adding a model is one file in `models/` plus its line in
 * `models` (index.ts); the providers that serve it map it in their adapters.
 */
export interface ModelDefinition<Schema extends z.ZodObject = z.ZodObject, Id extends string = ModelId> {
  id: Id;
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

export type ModelRegistration<Schema extends z.ZodObject = z.ZodObject> = ModelDefinition<Schema>;

export function defineModel<const Id extends string, Schema extends z.ZodObject>(
  definition: ModelDefinition<Schema, Id>,
): ModelDefinition<Schema, Id> {
  return definition;
}
