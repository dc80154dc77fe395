import { createHmac, randomBytes } from "node:crypto";

// Standard Webhooks (https://www.standardwebhooks.com): every request carries
//   webhook-id         the message id, the same on every retry (receivers dedupe on it)
//   webhook-timestamp  Unix seconds of this attempt (receivers refuse stale ones)
//   webhook-signature  `v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`
// where the secret is the base64 after `whsec_`. The `standardwebhooks` package verifies these.

export const SECRET_PREFIX = "whsec_";

/** A new signing secret: 32 random bytes, base64, behind `whsec_`. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

function secretBytes(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("A webhook secret starts with whsec_.");
  return Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The three headers for one attempt to send `body` (the exact bytes that go on the wire). */
export function signWebhook(options: {
  secret: string;
  messageId: string;
  body: string;
  timestamp: Date;
}): SignedHeaders {
  const seconds = Math.floor(options.timestamp.getTime() / 1000);
  const signature = createHmac("sha256", secretBytes(options.secret))
    .update(`${options.messageId}.${seconds}.${options.body}`)
    .digest("base64");
  return {
    "webhook-id": options.messageId,
    "webhook-timestamp": String(seconds),
    "webhook-signature": `v1,${signature}`,
  };
}
