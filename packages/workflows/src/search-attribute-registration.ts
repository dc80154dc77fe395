import type { NativeConnection } from "@temporalio/worker";
import { SearchAttributeType } from "@temporalio/common";
import { encodeSearchAttributeIndexedValueType } from "@temporalio/common/lib/search-attributes";
import { customSearchAttributes } from "./search-attributes";

const GRPC_ALREADY_EXISTS = 6;

/** The operator API's enum value for each attribute type we use. */
const indexedTypes: Record<string, number> = {
  Keyword: encodeSearchAttributeIndexedValueType(SearchAttributeType.KEYWORD)!,
};

/** The CLI command an operator runs when the worker may not register attributes itself. */
export function searchAttributeCreateCommand(namespace: string): string {
  return Object.entries(customSearchAttributes)
    .map(
      ([name, type]) =>
        `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type ${type}`,
    )
    .join(" && ");
}

/**
 * Makes sure the namespace knows the application's custom search attributes before any
 * workflow upserts them (an unknown attribute fails the workflow task). The dev server is
 * started with them; a real cluster gets them here, at every worker start: registered when
 * missing, nothing when present, and a second worker racing this one (already exists) is fine.
 */
export async function ensureSearchAttributes(
  connection: Pick<NativeConnection, "operatorService">,
  namespace: string,
): Promise<{ added: string[] }> {
  const wanted = Object.entries(customSearchAttributes);
  let existing: Record<string, number>;
  try {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    existing = { ...(listed.customAttributes ?? {}) };
  } catch (error) {
    throw new Error(
      `temporal: could not read the search attributes of namespace "${namespace}" (${(error as Error).message}); ` +
        `register them yourself (${searchAttributeCreateCommand(namespace)}) or give the worker operator access`,
      { cause: error },
    );
  }
  const missing: Record<string, number> = {};
  for (const [name, type] of wanted) {
    const indexed = indexedTypes[type]!;
    if (existing[name] === undefined) missing[name] = indexed;
    else if (existing[name] !== indexed) {
      throw new Error(
        `temporal: search attribute ${name} exists in namespace "${namespace}" with another type; it must be ${type}`,
      );
    }
  }
  if (Object.keys(missing).length === 0) return { added: [] };
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (error) {
    if ((error as { code?: unknown }).code !== GRPC_ALREADY_EXISTS) {
      throw new Error(
        `temporal: could not register search attributes ${Object.keys(missing).join(", ")} in namespace "${namespace}" ` +
          `(${(error as Error).message}); register them yourself: ${searchAttributeCreateCommand(namespace)}`,
        { cause: error },
      );
    }
  }
  return { added: Object.keys(missing) };
}
