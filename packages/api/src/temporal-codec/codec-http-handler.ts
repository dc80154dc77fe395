import type { Payload, PayloadCodec } from "@temporalio/common";
import { z } from "zod";
import type { AuthSession } from "../trpc";
import { jsonError } from "../upload/http-status";

/**
 * The codec endpoint Temporal's Web UI calls (its "remote codec" protocol: POST `<endpoint>/decode`
 * and `/encode`, body and answer `{ payloads: [{ metadata: {k: base64}, data: base64 }] }`), so
 * an administrator sees workflow inputs and results decrypted in the UI while Temporal itself
 * only ever stores ciphertext. Administrators only, by their AnimateImg session: the UI calls
 * from its own origin with credentials, so that origin (and only it) gets CORS with credentials.
 */
export interface CodecHttpHandlerOptions {
  resolveSession: (headers: Headers) => Promise<AuthSession | null>;
  /** Undefined when payload encryption is off: the endpoint then says so. */
  codec: PayloadCodec | undefined;
  /** Origins of the Temporal Web UI (e.g. http://localhost:8233). */
  uiOrigins: readonly string[];
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: "must be base64" });
const payloadsBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(1000),
});

const toPayload = (json: z.infer<typeof payloadsBody>["payloads"][number]): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(json.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, "base64")]),
  ),
  data: Buffer.from(json.data ?? "", "base64"),
});
const fromPayload = (payload: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value ?? new Uint8Array()).toString("base64"),
    ]),
  ),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString("base64"),
});

export function createCodecHttpHandler(options: CodecHttpHandlerOptions) {
  const corsHeaders = (req: Request): Record<string, string> => {
    const origin = req.headers.get("origin");
    if (!origin || !options.uiOrigins.includes(origin)) return {};
    return {
      "access-control-allow-origin": origin,
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "POST, OPTIONS",
      "access-control-allow-headers": "content-type, x-namespace, authorization",
      "access-control-max-age": "600",
      vary: "origin",
    };
  };
  const withCors = (req: Request, response: Response) => {
    for (const [name, value] of Object.entries(corsHeaders(req))) response.headers.set(name, value);
    return response;
  };

  return async (req: Request, operation: string): Promise<Response> => {
    if (req.method === "OPTIONS") return withCors(req, new Response(null, { status: 204 }));
    if (req.method !== "POST")
      return withCors(req, jsonError(405, "METHOD_NOT_SUPPORTED", "The codec endpoint takes POST."));
    if (operation !== "decode" && operation !== "encode") {
      return withCors(req, jsonError(404, "NOT_FOUND", "The codec endpoint has /decode and /encode."));
    }
    const session = await options.resolveSession(req.headers);
    if (!session)
      return withCors(
        req,
        jsonError(
          401,
          "UNAUTHORIZED",
          "Sign in to AnimateImg as an administrator in this browser, then reload the Temporal UI.",
        ),
      );
    if (session.user.role !== "admin")
      return withCors(req, jsonError(403, "FORBIDDEN", "Only administrators can read workflow payloads."));
    if (!options.codec) {
      return withCors(
        req,
        jsonError(
          503,
          "SERVICE_UNAVAILABLE",
          "Payload encryption is off on this server (TEMPORAL_PAYLOAD_KEYS is not set); payloads are readable as they are.",
        ),
      );
    }
    let body: z.infer<typeof payloadsBody>;
    try {
      body = payloadsBody.parse(await req.json());
    } catch {
      return withCors(
        req,
        jsonError(
          400,
          "BAD_REQUEST",
          'The body must be JSON: { "payloads": [{ "metadata": {…base64}, "data": base64 }] }.',
        ),
      );
    }
    try {
      const payloads = body.payloads.map(toPayload);
      const result =
        operation === "decode" ? await options.codec.decode(payloads) : await options.codec.encode(payloads);
      return withCors(
        req,
        Response.json({ payloads: result.map(fromPayload) }, { headers: { "cache-control": "no-store" } }),
      );
    } catch (error) {
      // A payload sealed with a key this server no longer holds: say which, never the bytes.
      const message =
        error instanceof Error && error.name === "PayloadDecryptionError"
          ? error.message
          : "A payload could not be decoded.";
      return withCors(req, jsonError(422, "UNPROCESSABLE_CONTENT", message));
    }
  };
}
