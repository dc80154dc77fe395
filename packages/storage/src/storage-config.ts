import { z } from "zod";
import type { BlobStore } from "./blob-store";
import { createLocalEncryptedStore } from "./local-encrypted-store";
import { createBlobUrlSigner, type BlobUrlSigner } from "./signed-url";
import { createUploadThingStore } from "./uploadthing-store";

/**
 * The storage variables every process that touches blobs validates (apps extend their env
 * schema with this). Parsed here so the web app and the worker agree on the format.
 */
export const storageEnv = z.object({
  /** Set: blobs go to UploadThing. Unset: local disk, encrypted. */
  UPLOADTHING_TOKEN: z.string().optional(),
  /** Folder of the local driver. */
  STORAGE_LOCAL_ROOT: z.string().optional(),
  /** `id:base64key[,id:base64key…]`, 32-byte keys; the first encrypts, all decrypt. */
  STORAGE_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .refine((value) => value === undefined || parseEncryptionKeys(value) !== null, {
      message: "must be id:base64key pairs separated by commas, each key 32 bytes (openssl rand -base64 32)",
    }),
  /** Secret for signed blob URLs, at least 32 characters (the web app needs it; the worker does not). */
  BLOB_URL_SECRET: z
    .string()
    .min(32, { message: "must be at least 32 characters (openssl rand -base64 32)" })
    .optional(),
});

export type StorageEnv = z.infer<typeof storageEnv>;

export interface StorageServices {
  store: BlobStore;
  signer: BlobUrlSigner;
}

/** Builds the configured driver and signer; throws a one-line message for what is missing. */
export function createStorageFromEnv(env: StorageEnv): StorageServices {
  const signer = env.BLOB_URL_SECRET
    ? createBlobUrlSigner({ secret: Buffer.from(env.BLOB_URL_SECRET) })
    : missingSigner;
  if (env.UPLOADTHING_TOKEN) return { store: createUploadThingStore({ token: env.UPLOADTHING_TOKEN }), signer };
  if (!env.STORAGE_LOCAL_ROOT)
    throw new Error("Configuration error: STORAGE_LOCAL_ROOT is required when UPLOADTHING_TOKEN is not set.");
  const keys = env.STORAGE_ENCRYPTION_KEYS ? parseEncryptionKeys(env.STORAGE_ENCRYPTION_KEYS) : null;
  if (!keys)
    throw new Error("Configuration error: STORAGE_ENCRYPTION_KEYS is required when UPLOADTHING_TOKEN is not set.");
  return {
    store: createLocalEncryptedStore({ root: env.STORAGE_LOCAL_ROOT, keys: keys.keys, activeKeyId: keys.activeKeyId }),
    signer,
  };
}

const missingSigner: BlobUrlSigner = {
  sign: () => {
    throw new Error("Configuration error: BLOB_URL_SECRET is required to sign blob URLs.");
  },
  verify: () => ({ ok: false, reason: "bad_signature" }),
};

export function parseEncryptionKeys(value: string): { keys: Map<string, Buffer>; activeKeyId: string } | null {
  const keys = new Map<string, Buffer>();
  let activeKeyId: string | null = null;
  for (const entry of value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(":");
    if (separator < 1) return null;
    const id = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), "base64");
    if (key.length !== 32 || keys.has(id)) return null;
    keys.set(id, key);
    activeKeyId ??= id;
  }
  return activeKeyId ? { keys, activeKeyId } : null;
}
