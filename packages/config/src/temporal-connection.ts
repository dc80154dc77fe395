import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { hostPort } from "./fragments";

/**
 * How a process reaches a real Temporal cluster: self-hosted behind TLS or mTLS, or Temporal
 * Cloud with mTLS or an API key. Certificates and keys are given as a file path or as the PEM
 * text itself (secrets mounted as files, or injected as variables), and each is read and
 * parsed at start-up, so a wrong path or a truncated key is one line naming the variable
 * instead of a TLS handshake error on the first request.
 */

/** A PEM read from a path or given inline; parsed by `check`, which returns a reason or undefined. */
const pemSetting = (what: string, check: (pem: Buffer) => string | undefined) =>
  z.string().transform((value, ctx) => {
    let pem: Buffer;
    if (value.trimStart().startsWith("-----BEGIN")) {
      pem = Buffer.from(value.replace(/\\n/g, "\n"));
    } else {
      try {
        pem = readFileSync(value);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        ctx.addIssue({
          code: "custom",
          message: `cannot read the ${what} file ${value} (${code === "ENOENT" ? "no such file" : (code ?? "unreadable")}); give a readable path or the PEM text`,
        });
        return z.NEVER;
      }
    }
    const problem = check(pem);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return pem;
  });

const parseCertificate = (pem: Buffer): X509Certificate | undefined => {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
};
const parsePrivateKey = (pem: Buffer): KeyObject | undefined => {
  try {
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
};

const certificate = (what: string) =>
  pemSetting(what, (pem) => {
    const cert = parseCertificate(pem);
    if (!cert) return `is not a PEM ${what} (expected "-----BEGIN CERTIFICATE-----")`;
    if (Date.parse(cert.validTo) < Date.now())
      return `the ${what} expired on ${new Date(cert.validTo).toISOString().slice(0, 10)}`;
    return undefined;
  });

const privateKey = pemSetting("private key", (pem) =>
  parsePrivateKey(pem) ? undefined : `is not an unencrypted PEM private key (expected "-----BEGIN PRIVATE KEY-----")`,
);

const flag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

export const temporalEnv = z.object({
  TEMPORAL_ADDRESS: hostPort,
  /** One namespace per environment (e.g. animateimg-staging, animateimg-prod): histories and task queues never mix. */
  TEMPORAL_NAMESPACE: z.string().min(1).default("default"),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default("animateimg"),
  /** TLS with the system's roots; implied by any TEMPORAL_TLS_* setting or an API key. */
  TEMPORAL_TLS: flag.optional(),
  /** mTLS: this process's certificate (path or PEM), paired with TEMPORAL_TLS_CLIENT_KEY. */
  TEMPORAL_TLS_CLIENT_CERT: certificate("client certificate").optional(),
  TEMPORAL_TLS_CLIENT_KEY: privateKey.optional(),
  /** The CA that signed the server's certificate, when it is not a public one (self-hosted). */
  TEMPORAL_TLS_SERVER_CA: certificate("server CA certificate").optional(),
  /** The name the server's certificate is checked against (and sent as SNI), when it differs from the address's host. */
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, { message: "must be a host name, e.g. temporal.internal" })
    .optional(),
  /** Temporal Cloud API key (sent as a bearer token over TLS); an alternative to mTLS. */
  TEMPORAL_API_KEY: optionalText,
  /**
   * Keys that encrypt every workflow and activity payload (AES-256-GCM), `id:base64key[,id:base64key…]`,
   * 32-byte keys: the first encrypts, all decrypt (rotation: put the new key first, keep the old
   * ones while histories that use them are retained). Unset: payloads are stored in clear.
   */
  TEMPORAL_PAYLOAD_KEYS: optionalText.pipe(
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return undefined;
        const ring = parsePayloadKeys(value);
        if (!ring) {
          ctx.addIssue({
            code: "custom",
            message:
              "must be id:base64key pairs separated by commas, unique ids, each key 32 bytes (openssl rand -base64 32)",
          });
          return z.NEVER;
        }
        return ring;
      }),
  ),
});

/** The payload key ring: key id → 32-byte key, and the id of the key that encrypts. */
export interface PayloadKeyRing {
  keys: Map<string, Buffer>;
  activeKeyId: string;
}

export function parsePayloadKeys(value: string): PayloadKeyRing | null {
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
    if (key.length !== 32 || keys.has(id) || !/^[A-Za-z0-9._-]+$/.test(id)) return null;
    keys.set(id, key);
    activeKeyId ??= id;
  }
  return activeKeyId ? { keys, activeKeyId } : null;
}

type TemporalEnv = z.output<typeof temporalEnv>;

/**
 * The checks that span several variables; apps add it to their schema with
 * `.superRefine(checkTemporalConnection)` (extend() keeps only fields). One issue per bad setting.
 */
export function checkTemporalConnection(env: TemporalEnv, ctx: z.RefinementCtx): void {
  const problem = (path: keyof TemporalEnv, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  const hasCert = env.TEMPORAL_TLS_CLIENT_CERT !== undefined;
  const hasKey = env.TEMPORAL_TLS_CLIENT_KEY !== undefined;
  if (hasCert && !hasKey)
    problem(
      "TEMPORAL_TLS_CLIENT_KEY",
      "must be set with TEMPORAL_TLS_CLIENT_CERT (mTLS needs the certificate and its private key)",
    );
  if (hasKey && !hasCert)
    problem(
      "TEMPORAL_TLS_CLIENT_CERT",
      "must be set with TEMPORAL_TLS_CLIENT_KEY (mTLS needs the certificate and its private key)",
    );
  if (env.TEMPORAL_TLS_CLIENT_CERT && env.TEMPORAL_TLS_CLIENT_KEY) {
    const cert = parseCertificate(env.TEMPORAL_TLS_CLIENT_CERT);
    const key = parsePrivateKey(env.TEMPORAL_TLS_CLIENT_KEY);
    if (cert && key && !cert.checkPrivateKey(key))
      problem(
        "TEMPORAL_TLS_CLIENT_KEY",
        "does not belong to TEMPORAL_TLS_CLIENT_CERT (a certificate and key from different pairs)",
      );
  }
  if (env.TEMPORAL_TLS === false) {
    const tlsOnly = (
      ["TEMPORAL_TLS_CLIENT_CERT", "TEMPORAL_TLS_SERVER_CA", "TEMPORAL_TLS_SERVER_NAME", "TEMPORAL_API_KEY"] as const
    ).filter((name) => env[name] !== undefined);
    for (const name of tlsOnly) problem(name, `needs TLS, but TEMPORAL_TLS is false (remove one of them)`);
  }
  if (env.TEMPORAL_API_KEY && hasCert)
    problem(
      "TEMPORAL_API_KEY",
      "must not be set together with TEMPORAL_TLS_CLIENT_CERT (two ways to authenticate; choose one)",
    );
  const cloud = /\.tmprl\.cloud:\d+$/.test(env.TEMPORAL_ADDRESS);
  if (cloud && env.TEMPORAL_NAMESPACE === "default") {
    problem("TEMPORAL_NAMESPACE", 'must be your Temporal Cloud namespace (<name>.<account id>), not "default"');
  }
  if (cloud && !env.TEMPORAL_API_KEY && !hasCert) {
    problem(
      "TEMPORAL_API_KEY",
      "must be set (or TEMPORAL_TLS_CLIENT_CERT + TEMPORAL_TLS_CLIENT_KEY): Temporal Cloud accepts no anonymous connection",
    );
  }
}

/** What @temporalio's Connection and NativeConnection take (structurally; this package imports no SDK). */
export interface TemporalConnectionSettings {
  address: string;
  namespace: string;
  tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
  apiKey?: string;
  /** Encrypts payloads (the workflows package turns it into a payload codec). */
  payloadKeys?: PayloadKeyRing;
}

export function temporalConnectionFromEnv(env: TemporalEnv): TemporalConnectionSettings {
  const settings: TemporalConnectionSettings = { address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE };
  const wantsTls =
    env.TEMPORAL_TLS ??
    (env.TEMPORAL_TLS_CLIENT_CERT !== undefined ||
      env.TEMPORAL_TLS_SERVER_CA !== undefined ||
      env.TEMPORAL_TLS_SERVER_NAME !== undefined ||
      env.TEMPORAL_API_KEY !== undefined);
  if (wantsTls) {
    settings.tls = {
      ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
      ...(env.TEMPORAL_TLS_SERVER_CA ? { serverRootCACertificate: env.TEMPORAL_TLS_SERVER_CA } : {}),
      ...(env.TEMPORAL_TLS_CLIENT_CERT && env.TEMPORAL_TLS_CLIENT_KEY
        ? { clientCertPair: { crt: env.TEMPORAL_TLS_CLIENT_CERT, key: env.TEMPORAL_TLS_CLIENT_KEY } }
        : {}),
    };
  }
  if (env.TEMPORAL_API_KEY) settings.apiKey = env.TEMPORAL_API_KEY;
  if (env.TEMPORAL_PAYLOAD_KEYS) settings.payloadKeys = env.TEMPORAL_PAYLOAD_KEYS;
  return settings;
}

/** One line for logs: where and how, never a secret. */
export function describeTemporalConnection(settings: TemporalConnectionSettings): string {
  const how = settings.tls
    ? settings.tls.clientCertPair
      ? "mTLS"
      : settings.apiKey
        ? "TLS + API key"
        : "TLS"
    : "plaintext";
  const payloads = settings.payloadKeys ? `, payloads encrypted with key ${settings.payloadKeys.activeKeyId}` : "";
  return `${settings.address} (${settings.namespace}, ${how}${payloads})`;
}
