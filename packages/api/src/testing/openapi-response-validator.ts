import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { OpenApiDocument } from "../rest/openapi-document";

// Test support: checks a real Response against what the OpenAPI document promises for that
// operation and status (status documented, content type documented, JSON body valid against
// the schema). Used by the REST tests so every endpoint they exercise is held to the document.

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const DOCUMENT_ID = "https://animateimg.invalid/openapi.json";

const escapePointer = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

export interface ResponseCheck {
  operationId: string;
  status: number;
}

export function createOpenApiResponseValidator(document: OpenApiDocument) {
  // The document itself is a schema resource here, so `#/components/schemas/X` references
  // resolve exactly as an OpenAPI tool would resolve them.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const compiled = new Map<string, ValidateFunction>();

  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );

  function find(method: string, pathname: string) {
    return operations.find((candidate) => {
      if (candidate.method !== method.toLowerCase()) return false;
      const pattern = new RegExp(`^${candidate.path.replace(/\{\w+\}/g, "[^/]+")}$`);
      return pattern.test(pathname);
    });
  }

  /** Throws with the reasons when the response breaks the document; returns what it checked. */
  async function check(method: string, pathname: string, response: Response): Promise<ResponseCheck> {
    const found = find(method, pathname);
    if (!found) throw new Error(`${method} ${pathname} is not in the OpenAPI document`);
    const status = String(response.status);
    const declared = found.operation.responses[status];
    if (!declared)
      throw new Error(`${found.operation.operationId} answered ${status}, which the document does not list`);
    const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const media = declared.content ? Object.keys(declared.content) : [];
    if (media.length > 0 && !media.includes(contentType)) {
      throw new Error(
        `${found.operation.operationId} ${status} sent ${contentType}; the document says ${media.join(" or ")}`,
      );
    }
    if (media.length === 0 && response.body !== null && contentType !== "") {
      throw new Error(
        `${found.operation.operationId} ${status} sent a ${contentType} body the document does not describe`,
      );
    }
    if (contentType.endsWith("json")) {
      const pointer = ["paths", found.path, found.method, "responses", status, "content", contentType, "schema"]
        .map(escapePointer)
        .join("/");
      const ref = `${DOCUMENT_ID}#/${pointer}`;
      let validate = compiled.get(ref);
      if (!validate) compiled.set(ref, (validate = ajv.compile({ $ref: ref })));
      const body: unknown = await response.clone().json();
      if (!validate(body)) {
        throw new Error(
          `${found.operation.operationId} ${status} does not match the document: ${ajv.errorsText(validate.errors)}`,
        );
      }
    }
    return { operationId: found.operation.operationId, status: response.status };
  }

  return { check, operationIds: operations.map((entry) => entry.operation.operationId) };
}
