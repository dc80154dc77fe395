import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The key that encrypts Temporal payloads under `npm start`: TEMPORAL_PAYLOAD_KEYS when set,
 * else one generated on the first start into DATA_DIR/temporal/payload-keys (mode 600, never
 * in the repository) and reused, so the histories of one run still decrypt on the next.
 */
export function resolveDevPayloadKeys(
  configured: string | undefined,
  dataDir: string,
): { value: string; description: string } {
  if (configured) return { value: configured, description: "temporal: payloads encrypted with TEMPORAL_PAYLOAD_KEYS" };
  const file = path.join(dataDir, "temporal", "payload-keys");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `dev1:${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  }
  return {
    value: readFileSync(file, "utf8").trim(),
    description: `temporal: payloads encrypted with the dev key in ${file}`,
  };
}
