import { getModel, modelIds, providerLabel, type ModelId } from "@animateimg/catalog";
import { isStatusCode, statusVars } from "@animateimg/core";
import type { Translate } from "./translate";

/** A status or refusal as the API sends it: a code, its parameters, and the English sentence. */
export interface CodedText {
  code: string;
  params: Record<string, string | number>;
  message: string;
}

const modelLabel = (id: string) => ((modelIds as readonly string[]).includes(id) ? getModel(id as ModelId).label : id);

/**
 * A generation's status (or an attempt's summary) in the reader's language, from its code:
 * providers and models by their (translated) labels, failure kinds by their phrases. A code
 * this build does not know (a newer server) reads as the English message it came with.
 */
export function statusText(status: CodedText, t: Translate, tc: (text: string) => string): string {
  if (!isStatusCode(status.code)) return status.message;
  const vars = statusVars({ code: status.code, params: status.params } as Parameters<typeof statusVars>[0], {
    provider: (id) => tc(providerLabel(id)),
    model: (id) => tc(modelLabel(id)),
    failure: (key) => t(`failure.${key}`),
  });
  return t(`statusCode.${status.code}`, vars);
}
