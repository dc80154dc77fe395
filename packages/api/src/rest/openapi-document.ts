import { z } from "zod";
import type { RestRoute } from "./rest-routes";
import { restRoutes } from "./rest-routes";
import { problemSchema } from "./rest-schemas";

// The OpenAPI 3.1 document of /api/v1, generated from the routes' own zod schemas (the same
// ones that parse every request and every response), so the reference cannot drift from the
// code. OpenAPI 3.1's schema dialect is JSON Schema 2020-12, which is z.toJSONSchema's default.

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  security: Array<Record<string, string[]>>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  "x-scope": string;
  parameters?: Array<Record<string, unknown>>;
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<
    string,
    { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema: JsonSchema }> }
  >;
}

const COMPONENT_PREFIX = "#/components/schemas/";

/** Rewrites z.toJSONSchema's local `#/$defs/X` references to the document's components. */
function pointRefsAtComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pointRefsAtComponents);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === "$ref" && typeof inner === "string" && inner.startsWith("#/$defs/")
          ? [key, COMPONENT_PREFIX + inner.slice("#/$defs/".length)]
          : [key, pointRefsAtComponents(inner)],
      ),
    );
  }
  return value;
}

class ComponentCollector {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly origin = new Map<string, "input" | "output">();

  /**
   * A schema for the document: schemas named with `.meta({ id })` become components (and a
   * `$ref` here). Requests are described as the client sends them (`io: "input"`, defaults
   * optional), responses as we send them (`io: "output"`).
   */
  add(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
    const { $schema: _dialect, $defs, ...root } = converted;
    for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      const seen = this.origin.get(id);
      // One component per id: a schema used both ways would need two names, and silently
      // keeping one would make the document lie about the other.
      if (seen && seen !== io)
        throw new Error(`Schema ${id} is used as both request and response; give each its own id.`);
      this.origin.set(id, io);
      this.schemas[id] = pointRefsAtComponents(definition) as JsonSchema;
    }
    return pointRefsAtComponents(root) as JsonSchema;
  }
}

function tagOf(route: RestRoute): string {
  if (route.path.startsWith("/uploads")) return "Uploads";
  if (route.path.startsWith("/models") || route.path.startsWith("/quote")) return "Models and prices";
  if (route.path.startsWith("/webhooks")) return "Webhooks";
  if (route.path.startsWith("/usage")) return "Usage";
  return "Generations";
}

/** Problems every authenticated route can answer; route-specific ones follow from its checks. */
function problemResponses(route: RestRoute, problemRef: JsonSchema): OpenApiOperation["responses"] {
  const problem = (description: string, headers?: Record<string, unknown>) => ({
    description,
    ...(headers ? { headers } : {}),
    content: { "application/problem+json": { schema: problemRef } },
  });
  const responses: OpenApiOperation["responses"] = {
    "400": problem("The input is not valid (see `fieldErrors`)"),
    "401": problem("Missing, unknown or revoked API key"),
    "403": problem(`The key lacks the \`${route.scope}\` scope, or the account may not do this yet`),
    "429": problem("This key's requests per minute are spent", {
      "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } },
    }),
    "500": problem("Something went wrong on our side"),
    "503": problem("A service this needs is unavailable for a moment (storage, the workflow engine); try again"),
  };
  if (route.path.includes("{id}") || route.body)
    responses["404"] = problem("No such generation, asset, webhook endpoint or delivery on this account");
  if (route.method !== "GET" || route.operationId === "downloadGeneration")
    responses["409"] = problem("The request conflicts with the resource's state");
  if (route.operationId === "createGeneration") responses["402"] = problem("Not enough credits");
  if (route.operationId === "createUpload") {
    responses["413"] = problem("The file is too large");
    responses["415"] = problem("The file's type is not supported");
    responses["422"] = problem("The file could not be read as a photo or video");
  }
  return responses;
}

function operationOf(route: RestRoute, components: ComponentCollector, problemRef: JsonSchema): OpenApiOperation {
  const parameters: Array<Record<string, unknown>> = [];
  for (const match of route.path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({ name: match[1], in: "path", required: true, schema: { type: "string", format: "uuid" } });
  }
  if (route.query) {
    const query = components.add(route.query, "input");
    const properties = (query.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((query.required ?? []) as string[]);
    for (const [name, schema] of Object.entries(properties)) {
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: "query",
        required: required.has(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  for (const header of route.headers ?? []) {
    parameters.push({
      name: header.name,
      in: "header",
      required: header.required,
      description: header.description,
      schema: { type: "string" },
    });
  }

  let requestBody: OpenApiOperation["requestBody"];
  if (route.body && "schema" in route.body) {
    requestBody = {
      required: true,
      content: { "application/json": { schema: components.add(route.body.schema, "input") } },
    };
  } else if (route.body) {
    requestBody = {
      required: true,
      description: route.body.description,
      content: {
        "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } },
        "multipart/form-data": {
          schema: {
            type: "object",
            properties: { file: { type: "string", contentMediaType: "application/octet-stream" } },
            required: ["file"],
          },
        },
      },
    };
  }

  const responses: OpenApiOperation["responses"] = {};
  for (const response of route.responses) {
    const headers: Record<string, unknown> = {
      "X-RateLimit-Limit": { description: "This key's requests per minute", schema: { type: "integer" } },
      "X-RateLimit-Remaining": { description: "Requests left in this minute", schema: { type: "integer" } },
      ...Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([name, description]) => [
          name,
          { description, schema: { type: "string" } },
        ]),
      ),
    };
    const content = response.schema
      ? { "application/json": { schema: components.add(response.schema, "output") } }
      : response.contentType
        ? { [response.contentType]: { schema: { type: "string", contentMediaType: response.contentType } } }
        : undefined;
    responses[String(response.status)] = {
      description: response.description,
      headers,
      ...(content ? { content } : {}),
    };
  }
  for (const [status, problem] of Object.entries(problemResponses(route, problemRef))) responses[status] ??= problem;

  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [tagOf(route)],
    "x-scope": route.scope,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

export interface OpenApiDocumentOptions {
  /** `<origin>/api/v1`: the server the document's paths are relative to. */
  apiBaseUrl: string;
  routes?: RestRoute[];
}

/** Builds the document from the routes (pure; cheap enough to build per request, and cached by the handler). */
export function buildOpenApiDocument(options: OpenApiDocumentOptions): OpenApiDocument {
  const components = new ComponentCollector();
  const problemRef = components.add(problemSchema, "output");
  const paths: OpenApiDocument["paths"] = {};
  for (const route of options.routes ?? restRoutes) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operationOf(route, components, problemRef);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "AnimateImg API",
      version: "1",
      description:
        "Animate photos from your own code: upload a photo, start a generation on any model, follow it, download the MP4. Authenticate with an API key from Settings → API keys as `Authorization: Bearer <key>`. Errors are RFC 9457 problem details whose `code` is the one the web app shows.",
    },
    servers: [{ url: options.apiBaseUrl }],
    security: [{ apiKey: [] }],
    tags: [
      { name: "Uploads", description: "Photos and reference videos" },
      { name: "Models and prices", description: "What each model accepts and costs" },
      { name: "Generations", description: "Start, follow, cancel, delete and download" },
      {
        name: "Webhooks",
        description:
          "Endpoints we POST generation.succeeded / generation.failed / generation.canceled events to, signed per Standard Webhooks; retried with growing waits for up to 3 days; each attempt in the delivery log",
      },
      { name: "Usage", description: "Credits spent per day, model and API key" },
    ],
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "aimg_<id>_<secret>",
          description: "An API key from Settings → API keys",
        },
      },
    },
  };
}
