// How each provider signs its callbacks, written from the providers' docs independently of the
// adapters' verifiers, so a contract test catches a verifier that drifted from the protocol.
import { createHash, createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export interface FalSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export function createFalSigningKey(kid = "fake-fal-key-1"): FalSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" }) as Record<string, unknown>;
  return { kid, privateKey, publicJwk: { ...jwk, kid, use: "sig", alg: "EdDSA" } };
}

/** fal: hex ED25519 over `request_id \n user_id \n timestamp \n sha256hex(body)`. */
export function falWebhookHeaders(
  key: FalSigningKey,
  requestId: string,
  userId: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  const message = [requestId, userId, String(timestampSeconds), createHash("sha256").update(body).digest("hex")].join(
    "\n",
  );
  return {
    "x-fal-webhook-request-id": requestId,
    "x-fal-webhook-user-id": userId,
    "x-fal-webhook-timestamp": String(timestampSeconds),
    "x-fal-webhook-signature": sign(null, Buffer.from(message), key.privateKey).toString("hex"),
  };
}

/** Standard Webhooks (Replicate): `v1,` + base64 HMAC-SHA256 over `{id}.{timestamp}.{body}`, key = base64 part of the whsec_ secret. */
export function standardWebhookHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": `v1,${signature}` };
}

/** Kie: base64(HMAC-SHA256(taskId + "." + timestamp, key)); the body is not signed. */
export function kieWebhookHeaders(hmacKey: string, taskId: string, timestampSeconds: number): Record<string, string> {
  const signature = createHmac("sha256", hmacKey).update(`${taskId}.${timestampSeconds}`).digest("base64");
  return { "x-webhook-timestamp": String(timestampSeconds), "x-webhook-signature": signature };
}
