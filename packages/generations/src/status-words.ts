import { getModel, modelIds, providerLabel, type ModelId } from "@animateimg/catalog";
import { englishStatusMessage, parseStatus, type Status, type WordedStatus } from "@animateimg/core";

const modelLabel = (id: string) => ((modelIds as readonly string[]).includes(id) ? getModel(id as ModelId).label : id);

/**
 * The English sentence for a status: what API clients that do not translate read, and what
 * `status_message` keeps beside the code. People read the web app's own wording of the code.
 */
export function englishStatus(status: Status): string {
  return englishStatusMessage(status, { provider: providerLabel, model: modelLabel });
}

/** A status as the API sends it: code, parameters and the English fallback. */
export function wordStatus(status: Status): WordedStatus {
  return { ...status, message: englishStatus(status) };
}

/** A stored status (code + params), or null for rows from before codes (they keep their message). */
export function storedStatus(code: string | null, params: unknown): Status | null {
  return code === null ? null : parseStatus(code, params);
}
