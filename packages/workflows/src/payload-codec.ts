import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Payload, PayloadCodec } from "@temporalio/common";

/**
 * Encrypts every workflow and activity payload before it leaves the process, so Temporal's
 * history (and whoever can open its UI or database) holds ciphertext instead of prompts,
 * provider output URLs or emails. AES-256-GCM with a fresh 96-bit nonce per payload; the key id
 * travels in the payload's metadata (and is authenticated as associated data), so keys rotate
 * by putting a new one first: it encrypts from then on, the older ones still decrypt what
 * running histories hold. Payloads that are not ours (written before encryption was turned on)
 * pass through decode untouched, so enabling it never breaks a running workflow.
 *
 * The inner payload (its metadata and data) is kept as a small JSON document, not protobuf, so
 * the codec needs nothing beyond @temporalio/common and the codec endpoint can share it.
 */
export const encryptedEncoding = "binary/encrypted";
const keyIdMetadata = "encryption-key-id";
const nonceBytes = 12;
const tagBytes = 16;

export interface PayloadKeyRing {
  /** Key id → 32-byte key. */
  keys: ReadonlyMap<string, Uint8Array>;
  /** The key that encrypts; every key decrypts. */
  activeKeyId: string;
}

const text = new TextEncoder();
const fromText = new TextDecoder();

interface SealedPayload {
  /** metadata, base64 per entry */
  m: Record<string, string>;
  /** data, base64 */
  d: string;
}

function seal(payload: Payload): Uint8Array {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {}))
    if (value) metadata[key] = Buffer.from(value).toString("base64");
  const sealed: SealedPayload = { m: metadata, d: Buffer.from(payload.data ?? new Uint8Array()).toString("base64") };
  return text.encode(JSON.stringify(sealed));
}

function unseal(bytes: Uint8Array): Payload {
  const sealed = JSON.parse(fromText.decode(bytes)) as SealedPayload;
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(sealed.m)) metadata[key] = Buffer.from(value, "base64");
  return { metadata, data: Buffer.from(sealed.d, "base64") };
}

export class PayloadDecryptionError extends Error {
  override name = "PayloadDecryptionError";
}

export function createEncryptionCodec(ring: PayloadKeyRing): PayloadCodec {
  const activeKey = ring.keys.get(ring.activeKeyId);
  if (!activeKey || activeKey.length !== 32) throw new Error(`payload key "${ring.activeKeyId}" must be 32 bytes`);
  return {
    // async: a bad payload becomes a rejected promise, as the SDK expects, never a throw.
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return await Promise.resolve(
        payloads.map((payload) => {
          const nonce = randomBytes(nonceBytes);
          const cipher = createCipheriv("aes-256-gcm", activeKey, nonce);
          cipher.setAAD(text.encode(ring.activeKeyId));
          const ciphertext = Buffer.concat([cipher.update(seal(payload)), cipher.final()]);
          return {
            metadata: { encoding: text.encode(encryptedEncoding), [keyIdMetadata]: text.encode(ring.activeKeyId) },
            data: Buffer.concat([nonce, cipher.getAuthTag(), ciphertext]),
          };
        }),
      );
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return await Promise.resolve(
        payloads.map((payload) => {
          const encoding = payload.metadata?.encoding;
          if (!encoding || fromText.decode(encoding) !== encryptedEncoding) return payload;
          const keyIdBytes = payload.metadata?.[keyIdMetadata];
          const keyId = keyIdBytes ? fromText.decode(keyIdBytes) : "";
          const key = ring.keys.get(keyId);
          if (!key)
            throw new PayloadDecryptionError(
              `no payload key "${keyId}" in this process's key ring (TEMPORAL_PAYLOAD_KEYS); add it back to read older histories`,
            );
          const data = Buffer.from(payload.data ?? new Uint8Array());
          if (data.length < nonceBytes + tagBytes)
            throw new PayloadDecryptionError("an encrypted payload is truncated");
          const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, nonceBytes));
          decipher.setAAD(text.encode(keyId));
          decipher.setAuthTag(data.subarray(nonceBytes, nonceBytes + tagBytes));
          try {
            return unseal(Buffer.concat([decipher.update(data.subarray(nonceBytes + tagBytes)), decipher.final()]));
          } catch {
            throw new PayloadDecryptionError(`an encrypted payload did not authenticate with key "${keyId}"`);
          }
        }),
      );
    },
  };
}

/** The data converter option for Client and Worker: the codec when keys are configured, else nothing. */
export function dataConverterFor(ring: PayloadKeyRing | undefined): {
  dataConverter?: { payloadCodecs: PayloadCodec[] };
} {
  return ring ? { dataConverter: { payloadCodecs: [createEncryptionCodec(ring)] } } : {};
}
