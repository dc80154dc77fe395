import { z } from "zod";
import { animateModel } from "./models/animate";
import { klingModel } from "./models/kling";
import { motionControlModel } from "./models/motion-control";
import { seedanceModel } from "./models/seedance";
import { veoModel } from "./models/veo";
import type { ModelDefinition, PriceContext } from "./model";

export type { FieldSpec } from "./fields";
export type { ModelDefinition, ModelInputs, ModelRegistration, PriceContext } from "./model";
export { providerIds, providerLabel, providerNames, providerOperatorLabel, type ProviderId } from "./provider-words";
export { animateParams, type AnimateParams } from "./models/animate";
export { klingParams, type KlingParams } from "./models/kling";
export { veoParams, type VeoParams } from "./models/veo";
export { seedanceParams, type SeedanceParams } from "./models/seedance";
export {
  motionControlParams,
  MOTION_REFERENCE_MAX_SECONDS,
  MOTION_REFERENCE_MIN_SECONDS,
  type MotionControlParams,
} from "./models/motion-control";

/** Every model, in the order the picker shows them: the one list a new model joins. */
export const models = [animateModel, klingModel, veoModel, seedanceModel, motionControlModel] as const;

export type ModelId = (typeof models)[number]["id"];

export const modelIds = models.map((m) => m.id) as [ModelId, ...ModelId[]];
export const modelIdSchema = z.enum(modelIds);

export function getModel(id: ModelId): ModelDefinition {
  const model = models.find((m) => m.id === id);
  if (!model) throw new Error(`unknown model ${id}`);
  return model;
}

export type ParamsParseResult =
  | { ok: true; params: Record<string, unknown> }
  | {
      ok: false;
      fieldErrors: Record<string, string[]>;
      message: string;
      /** The first refused field's label, if any. */ field?: string;
    };

/** Validates (and fills defaults into) a model's parameters. Unknown keys are refused. */
export function parseModelParams(id: ModelId, raw: unknown): ParamsParseResult {
  const model = getModel(id);
  const original = models.find((m) => m.id === id)!.paramsSchema as z.ZodType;
  const strict = original instanceof z.ZodObject ? original.strict() : original;
  const result = strict.safeParse(raw ?? {});
  if (result.success) return { ok: true, params: result.data as Record<string, unknown> };
  const flat = z.flattenError(result.error);
  const fieldErrors = flat.fieldErrors as Record<string, string[]>;
  const first = result.error.issues[0];
  const field = first?.path.length ? labelOf(model, String(first.path[0])) : undefined;
  const message = `${field === undefined ? "" : `${field}: `}${first?.message ?? "invalid parameters"}`;
  return field === undefined ? { ok: false, fieldErrors, message } : { ok: false, fieldErrors, message, field };
}

function labelOf(model: ModelDefinition, key: string): string {
  return model.fields.find((f) => f.key === key)?.label ?? key;
}

/** Credits for a generation; the parameters must already be parsed. */
export function priceOf(id: ModelId, params: Record<string, unknown>, context?: PriceContext): number {
  return getModel(id).price(params, context);
}

/** The cheapest and dearest price a model can have, for the picker's "from … to …". */
const priceRanges = new Map<ModelId, { min: number; max: number }>();
export function priceRange(id: ModelId): { min: number; max: number } {
  const cached = priceRanges.get(id);
  if (cached) return cached;
  const range = computePriceRange(id);
  priceRanges.set(id, range);
  return range;
}

function computePriceRange(id: ModelId): { min: number; max: number } {
  const model = getModel(id);
  const prices: number[] = [];
  const candidates = enumerateFieldValues(model);
  for (const params of candidates) {
    const parsed = parseModelParams(id, params);
    if (parsed.ok) prices.push(model.price(parsed.params, { referenceVideoSeconds: undefined }));
  }
  if (model.inputs.referenceVideo === "required") {
    const shortest = parseModelParams(id, {});
    if (shortest.ok) prices.push(model.price(shortest.params, { referenceVideoSeconds: 3 }));
  }
  return { min: Math.min(...prices), max: Math.max(...prices) };
}

/** Every combination of select/toggle/slider extremes: small enough to price exhaustively. */
function enumerateFieldValues(model: ModelDefinition): Array<Record<string, unknown>> {
  let combos: Array<Record<string, unknown>> = [{}];
  for (const field of model.fields) {
    const values: unknown[] =
      field.control === "select"
        ? field.options.map((o) => o.value)
        : field.control === "toggle"
          ? [false, true]
          : field.control === "slider"
            ? [field.min, field.max]
            : [undefined];
    combos = combos.flatMap((combo) =>
      values.map((value) => (value === undefined ? combo : { ...combo, [field.key]: value })),
    );
  }
  return combos;
}
