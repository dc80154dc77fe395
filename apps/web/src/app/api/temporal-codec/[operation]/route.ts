import { createCodecHttpHandler } from "@animateimg/api";
import { temporalConnectionFromEnv } from "@animateimg/config";
import { createEncryptionCodec } from "@animateimg/workflows/payload-codec";
import { env } from "~/env";
import { getDependencies } from "~/server/deps";
import { logged } from "~/server/logging";

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

const handle = logged("/api/temporal-codec/[operation]", async (req: Request, context: Context): Promise<Response> =>
  handler(req, (await context.params).operation),
);

export const POST = handle;
export const OPTIONS = handle;
