import { z } from "zod";
import type { BlobStore } from "./blob-store";
import { createLocalEncryptedStore } from "./local-encrypted-store";
import { createS3Store } from "./s3-store";
import { createBlobUrlSigner, type BlobUrlSigner } from "./signed-url";
import { createUploadThingStore } from "./uploadthing-store";

/**
 * The storage variables every process that touches blobs validates (apps extend their env
 * schema with this). Parsed here so the web app and the worker agree on the format.
 */
export const storageEnv = z.object({
  /** Set: blobs go to this S3 (or S3-compatible) bucket, shared by every process. */
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** For S3-compatible stores (MinIO, R2, GCS interop); unset for AWS itself. */
  S3_ENDPOINT: z
    .string()
    .optional()
    .refine((value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value), {
      message: "must be a URL starting with http:// or https://",
    }),
  /** `true` for path-style URLs (MinIO and most self-hosted stores). */
  S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("false"),
  /** Static credentials; unset: the SDK's default chain (instance role, AWS_PROFILE, …). */
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Server-side encryption on every write: AES256 (default), aws:kms, or none for stores that refuse it. */
  S3_SSE: z.enum(["AES256", "aws:kms", "none"]).default("AES256"),
  S3_SSE_KMS_KEY_ID: z.string().optional(),
  /** Folder inside the bucket, e.g. `animateimg/`. */
  S3_PREFIX: z.string().optional(),
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

/** Parsed storage settings (defaults applied by the schema may be absent when built by hand). */
export type StorageEnv = z.input<typeof storageEnv>;

export interface StorageServices {
  store: BlobStore;
  signer: BlobUrlSigner;
}

/** Builds the configured driver and signer; throws a one-line message for what is missing. */
export function createStorageFromEnv(env: StorageEnv): StorageServices {
  const signer = env.BLOB_URL_SECRET
    ? createBlobUrlSigner({ secret: Buffer.from(env.BLOB_URL_SECRET) })
    : missingSigner;
  if (env.S3_BUCKET) {
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY))
      throw new Error("Configuration error: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together.");
    return {
      store: createS3Store({
        bucket: env.S3_BUCKET,
        region: env.S3_REGION ?? "us-east-1",
        ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
        forcePathStyle: env.S3_FORCE_PATH_STYLE === "true",
        ...(env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
          ? { credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } }
          : {}),
        serverSideEncryption: env.S3_SSE ?? "AES256",
        ...(env.S3_SSE_KMS_KEY_ID ? { kmsKeyId: env.S3_SSE_KMS_KEY_ID } : {}),
        ...(env.S3_PREFIX ? { prefix: env.S3_PREFIX } : {}),
      }),
      signer,
    };
  }
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
