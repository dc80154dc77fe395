import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface DevStorageEnv {
  S3_BUCKET?: string | undefined;
  UPLOADTHING_TOKEN?: string | undefined;
  STORAGE_LOCAL_ROOT?: string | undefined;
  STORAGE_ENCRYPTION_KEYS?: string | undefined;
  BLOB_URL_SECRET?: string | undefined;
}

interface DevSecrets {
  encryptionKeys: string;
  blobUrlSecret: string;
}

/**
 * Storage settings for the web app and the worker under `npm start`. What is configured is
 * used; otherwise blobs go to DATA_DIR/blobs, encrypted with a key generated on first start
 * and kept in DATA_DIR/storage/dev-secrets.json (mode 600, never in the repository), so the
 * blobs of one run still decrypt on the next.
 */
export function resolveDevStorage(
  configured: DevStorageEnv,
  dataDir: string,
): { env: Record<string, string>; description: string } {
  const env: Record<string, string> = {};
  const names = [
    "S3_BUCKET",
    "UPLOADTHING_TOKEN",
    "STORAGE_LOCAL_ROOT",
    "STORAGE_ENCRYPTION_KEYS",
    "BLOB_URL_SECRET",
  ] as const;
  for (const name of names) {
    const value = configured[name];
    if (value) env[name] = value;
  }
  const remote = Boolean(env.S3_BUCKET || env.UPLOADTHING_TOKEN);
  const needsSecrets = !env.BLOB_URL_SECRET || (!remote && !env.STORAGE_ENCRYPTION_KEYS);
  const generated: string[] = [];
  if (needsSecrets) {
    const secrets = loadOrCreateSecrets(path.join(dataDir, "storage", "dev-secrets.json"));
    if (!env.BLOB_URL_SECRET) {
      env.BLOB_URL_SECRET = secrets.blobUrlSecret;
      generated.push("URL-signing secret");
    }
    if (!remote && !env.STORAGE_ENCRYPTION_KEYS) {
      env.STORAGE_ENCRYPTION_KEYS = secrets.encryptionKeys;
      generated.push("encryption key");
    }
  }
  if (env.S3_BUCKET) return { env, description: `storage: S3 bucket ${env.S3_BUCKET} (S3_BUCKET is set)` };
  if (env.UPLOADTHING_TOKEN) return { env, description: "storage: UploadThing (UPLOADTHING_TOKEN is set)" };
  env.STORAGE_LOCAL_ROOT ??= path.join(dataDir, "blobs");
  const keys = generated.length
    ? ` (dev ${generated.join(" and ")} from ${path.join(dataDir, "storage", "dev-secrets.json")})`
    : "";
  return { env, description: `storage: local disk, AES-256-GCM encrypted, under ${env.STORAGE_LOCAL_ROOT}${keys}` };
}

function loadOrCreateSecrets(file: string): DevSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DevSecrets;
  const secrets: DevSecrets = {
    encryptionKeys: `dev-${new Date().toISOString().slice(0, 10)}:${randomBytes(32).toString("base64")}`,
    blobUrlSecret: randomBytes(32).toString("base64url"),
  };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
