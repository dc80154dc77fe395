import { z } from "zod";
import { authenticateApiKey } from "@animateimg/auth";
import { AppError, isAppError } from "@animateimg/core";
import { currentRequestContext, noteRequestRoute, noteRequestUser } from "@animateimg/logging";
import { consumeRateLimit } from "@animateimg/rate-limit";
import type { ApiDependencies } from "../trpc";
import { buildOpenApiDocument, type OpenApiDocument } from "./openapi-document";
import { problemFromAppError, problemResponse } from "./problem-details";
import { restRoutes, type RestRoute } from "./rest-routes";

export interface RestApiHandlerOptions {
  getDependencies: () => ApiDependencies;
  /** The app's public URL, for links in responses; the request's own origin when absent. */
  publicUrl?: string;
}

export const REST_API_PREFIX = "/api/v1";
/** The OpenAPI document's path under the prefix. */
export const OPENAPI_PATH = "/openapi.json";

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = restRoutes.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

function bearerToken(req: Request): string | null {
  const header = req.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}

function inputProblem(error: z.ZodError, where: string): Response {
  const flattened = z.flattenError(error);
  const fieldErrors = Object.fromEntries(
    Object.entries(flattened.fieldErrors).filter((entry): entry is [string, string[]] => Array.isArray(entry[1])),
  );
  const first = error.issues[0];
  const path = first?.path.length ? `“${first.path.map(String).join(".")}”: ` : "";
  return problemResponse("BAD_REQUEST", `Please check the ${where}: ${path}${first?.message ?? "it is not valid"}.`, {
    reason: "invalid_input",
    fieldErrors: Object.keys(fieldErrors).length > 0 ? fieldErrors : undefined,
  });
}

/**
 * /api/v1/* — the developer REST API. Each request: a Bearer API key (hash-compared, revoked
 * keys refused), the key's per-minute limit in Postgres (429 with Retry-After), the route's
 * scope, input parsed by the route's zod schema, then the same domain function the tRPC
 * procedure calls. Every failure is an RFC 9457 problem with the AppError code the UI uses.
 * The key itself is never logged nor passed on: only its id reaches the database.
 */
export function createRestApiHandler(options: RestApiHandlerOptions) {
  const documents = new Map<string, OpenApiDocument>();
  return async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const path = url.pathname.startsWith(REST_API_PREFIX)
      ? url.pathname.slice(REST_API_PREFIX.length) || "/"
      : url.pathname;
    const publicUrl = options.publicUrl ? new URL(options.publicUrl).origin : url.origin;
    if (path === OPENAPI_PATH && (req.method === "GET" || req.method === "HEAD")) {
      // Public, like any API reference: it describes the API, it holds nothing of an account.
      const apiBaseUrl = `${publicUrl}${REST_API_PREFIX}`;
      let document = documents.get(apiBaseUrl);
      if (!document) documents.set(apiBaseUrl, (document = buildOpenApiDocument({ apiBaseUrl })));
      return Response.json(document, {
        headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
      });
    }
    const candidates = compiled
      .map((entry) => ({ entry, match: entry.pattern.exec(path) }))
      .filter((candidate): candidate is { entry: CompiledRoute; match: RegExpExecArray } => candidate.match !== null);
    if (candidates.length === 0)
      return problemResponse("NOT_FOUND", `There is no API endpoint at ${REST_API_PREFIX}${path}.`, {
        reason: "no_such_endpoint",
      });
    const method = req.method === "HEAD" ? "GET" : req.method;
    const chosen = candidates.find((candidate) => candidate.entry.route.method === method);
    if (!chosen) {
      const allowed = [...new Set(candidates.map((candidate) => candidate.entry.route.method))].join(", ");
      const response = problemResponse("BAD_REQUEST", `${req.method} is not supported here; use ${allowed}.`, {
        status: 405,
        reason: "method_not_allowed",
      });
      response.headers.set("allow", allowed);
      return response;
    }
    const { route, names } = chosen.entry;
    noteRequestRoute(`${route.method} ${REST_API_PREFIX}${route.path}`);
    const params = Object.fromEntries(
      names.map((name, index) => [name, decodeURIComponent(chosen.match[index + 1] ?? "")]),
    );

    const deps = options.getDependencies();
    try {
      const token = bearerToken(req);
      if (!token) {
        return problemResponse(
          "UNAUTHORIZED",
          "Send your API key as `Authorization: Bearer <key>`. Create one in Settings → API keys.",
          {
            reason: "missing_api_key",
          },
        );
      }
      const key = await authenticateApiKey(deps.db, { token });
      if (!key) {
        return problemResponse("UNAUTHORIZED", "This API key is not valid or has been revoked.", {
          reason: "invalid_api_key",
        });
      }
      noteRequestUser(key.user.id);
      const limit = await consumeRateLimit(deps.db, {
        key: `api-key:${key.keyId}`,
        windowSeconds: 60,
        max: key.requestsPerMinute,
      }).catch((error: unknown) => {
        if (!isAppError(error) || error.code !== "TOO_MANY_REQUESTS") throw error;
        const perMinute = key.requestsPerMinute;
        throw new AppError(
          "TOO_MANY_REQUESTS",
          `This key may make ${perMinute} requests per minute. Wait for the time in Retry-After.`,
          {
            reason: "rate_limited",
            params: { perMinute },
            retryAfterSeconds: error.retryAfterSeconds,
          },
        );
      });
      if (!key.scopes.includes(route.scope)) {
        return problemResponse(
          "FORBIDDEN",
          `This key lacks the “${route.scope}” scope that ${route.method} ${REST_API_PREFIX}${route.path} needs.`,
          {
            reason: "insufficient_scope",
          },
        );
      }

      let query: unknown = undefined;
      if (route.query) {
        const parsed = route.query.safeParse(Object.fromEntries(url.searchParams));
        if (!parsed.success) return inputProblem(parsed.error, "query");
        query = parsed.data;
      }
      let body: unknown = undefined;
      if (route.body && "schema" in route.body) {
        let raw: unknown;
        try {
          raw = await req.json();
        } catch {
          return problemResponse("BAD_REQUEST", "The request body must be JSON.", { reason: "invalid_json" });
        }
        const parsed = route.body.schema.safeParse(raw);
        if (!parsed.success) return inputProblem(parsed.error, "request body");
        body = parsed.data;
      }

      const response = await route.handle({
        req,
        deps,
        key,
        params,
        query,
        body,
        apiBaseUrl: `${publicUrl}${REST_API_PREFIX}`,
        orchestrator: async () => (await deps.orchestrator.connected()).generations,
      });
      response.headers.set("x-ratelimit-limit", String(key.requestsPerMinute));
      response.headers.set("x-ratelimit-remaining", String(limit.remaining));
      return response;
    } catch (error) {
      if (isAppError(error)) return problemFromAppError(error);
      // Only the error: never the request's headers, which carry the key.
      const log = currentRequestContext()?.log;
      if (log) log.error({ err: error }, "REST request failed");
      else console.error(`${REST_API_PREFIX}${route.path} failed:`, error);
      return problemResponse(
        "INTERNAL_SERVER_ERROR",
        "Something went wrong on our side. Please try again in a moment.",
      );
    }
  };
}
