import { createCodecHttpHandler } from "@animateimg/api";
import { temporalConnectionFromEnv } from "@animateimg/config";
import { createEncryptionCodec } from "@animateimg/workflows/payload-codec";
import { env } from "~/env";
import { getDependencies } from "~/server/deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Temporal's Web UI is pointed here (`--ui-codec-endpoint <APP_URL>/api/temporal-codec`) to show
// decrypted payloads to administrators signed in to AnimateImg in the same browser.
const payloadKeys = temporalConnectionFromEnv(env).payloadKeys;
const handler = createCodecHttpHandler({
  resolveSession: (headers) => getDependencies().resolveSession(headers),
  codec: payloadKeys ? createEncryptionCodec(payloadKeys) : undefined,
  uiOrigins: env.TEMPORAL_UI_ORIGIN,
});

type Context = { params: Promise<{ operation: string }> };

export async function POST(req: Request, context: Context): Promise<Response> {
  return handler(req, (await context.params).operation);
}

export async function OPTIONS(req: Request, context: Context): Promise<Response> {
  return handler(req, (await context.params).operation);
}
