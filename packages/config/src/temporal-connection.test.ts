import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCertificates, type TestCertificates } from "@animateimg/local-services";
import {
  checkTemporalConnection,
  ConfigError,
  describeTemporalConnection,
  parseEnv,
  temporalConnectionFromEnv,
  temporalEnv,
} from "./index";

const schema = temporalEnv.superRefine(checkTemporalConnection);
const base = { TEMPORAL_ADDRESS: "temporal.internal:7233" };

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseEnv(schema, { ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("Temporal connection settings", () => {
  let certs: TestCertificates;
  let other: TestCertificates;
  beforeAll(() => {
    certs = createTestCertificates();
    other = createTestCertificates();
  });
  afterAll(() => {
    certs.remove();
    other.remove();
  });

  it("is plaintext with nothing set, TLS with the system roots with TEMPORAL_TLS=true", () => {
    expect(temporalConnectionFromEnv(parseEnv(schema, base))).toEqual({
      address: "temporal.internal:7233",
      namespace: "default",
    });
    const tls = temporalConnectionFromEnv(
      parseEnv(schema, { ...base, TEMPORAL_TLS: "true", TEMPORAL_NAMESPACE: "animateimg-prod" }),
    );
    expect(tls).toEqual({ address: "temporal.internal:7233", namespace: "animateimg-prod", tls: {} });
    expect(describeTemporalConnection(tls)).toBe("temporal.internal:7233 (animateimg-prod, TLS)");
  });

  it("takes payload keys as id:base64 pairs, the first encrypting, and names a bad one in one line", () => {
    const k1 = Buffer.alloc(32, 1).toString("base64");
    const k2 = Buffer.alloc(32, 2).toString("base64");
    const settings = temporalConnectionFromEnv(
      parseEnv(schema, { ...base, TEMPORAL_PAYLOAD_KEYS: `new:${k2}, old:${k1}` }),
    );
    expect(settings.payloadKeys?.activeKeyId).toBe("new");
    expect([...(settings.payloadKeys?.keys.keys() ?? [])]).toEqual(["new", "old"]);
    expect(describeTemporalConnection(settings)).toBe(
      "temporal.internal:7233 (default, plaintext, payloads encrypted with key new)",
    );
    expect(
      temporalConnectionFromEnv(parseEnv(schema, { ...base, TEMPORAL_PAYLOAD_KEYS: "" })).payloadKeys,
    ).toBeUndefined();
    for (const bad of [`k1:${Buffer.alloc(16).toString("base64")}`, `k1:${k1},k1:${k2}`, k1, `bad id:${k1}`]) {
      const problems = problemsOf({ TEMPORAL_PAYLOAD_KEYS: bad });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^Configuration error: TEMPORAL_PAYLOAD_KEYS is invalid: must be id:base64key pairs/);
    }
  });

  it("reads mTLS certificates from paths or inline PEM, with the server CA and name", () => {
    const fromFiles = temporalConnectionFromEnv(
      parseEnv(schema, {
        ...base,
        TEMPORAL_TLS_CLIENT_CERT: certs.files.clientCert,
        TEMPORAL_TLS_CLIENT_KEY: certs.files.clientKey,
        TEMPORAL_TLS_SERVER_CA: certs.files.ca,
        TEMPORAL_TLS_SERVER_NAME: certs.serverName,
      }),
    );
    expect(fromFiles.tls?.clientCertPair?.crt.equals(certs.clientCert)).toBe(true);
    expect(fromFiles.tls?.clientCertPair?.key.equals(certs.clientKey)).toBe(true);
    expect(fromFiles.tls?.serverRootCACertificate?.equals(certs.ca)).toBe(true);
    expect(fromFiles.tls?.serverNameOverride).toBe(certs.serverName);
    expect(describeTemporalConnection(fromFiles)).toContain("mTLS");

    // Inline, as a secret injected into a variable (escaped newlines included).
    const inline = parseEnv(schema, {
      ...base,
      TEMPORAL_TLS_CLIENT_CERT: certs.clientCert.toString(),
      TEMPORAL_TLS_CLIENT_KEY: certs.clientKey.toString().replace(/\n/g, "\\n"),
    });
    expect(temporalConnectionFromEnv(inline).tls?.clientCertPair?.crt.toString()).toBe(certs.clientCert.toString());
  });

  it("takes a Temporal Cloud API key over TLS", () => {
    const settings = temporalConnectionFromEnv(
      parseEnv(schema, {
        TEMPORAL_ADDRESS: "eu-west-1.aws.api.temporal.io:7233",
        TEMPORAL_NAMESPACE: "animateimg.a1b2c",
        TEMPORAL_API_KEY: "key-123",
      }),
    );
    expect(settings).toEqual({
      address: "eu-west-1.aws.api.temporal.io:7233",
      namespace: "animateimg.a1b2c",
      tls: {},
      apiKey: "key-123",
    });
    expect(describeTemporalConnection(settings)).not.toContain("key-123");
  });

  it("names each bad setting in one line", () => {
    expect(
      problemsOf({ TEMPORAL_TLS_CLIENT_CERT: "/nowhere/client.pem", TEMPORAL_TLS_SERVER_CA: "/nowhere/ca.pem" }),
    ).toEqual([
      "Configuration error: TEMPORAL_TLS_CLIENT_CERT is invalid: cannot read the client certificate file /nowhere/client.pem (no such file); give a readable path or the PEM text.",
      "Configuration error: TEMPORAL_TLS_SERVER_CA is invalid: cannot read the server CA certificate file /nowhere/ca.pem (no such file); give a readable path or the PEM text.",
    ]);
    const notPem = path.join(path.dirname(certs.files.ca), "not-a-cert.pem");
    writeFileSync(notPem, "hello");
    expect(problemsOf({ TEMPORAL_TLS_SERVER_CA: notPem, TEMPORAL_TLS_CLIENT_KEY: certs.files.clientCert })).toEqual([
      'Configuration error: TEMPORAL_TLS_CLIENT_KEY is invalid: is not an unencrypted PEM private key (expected "-----BEGIN PRIVATE KEY-----").',
      'Configuration error: TEMPORAL_TLS_SERVER_CA is invalid: is not a PEM server CA certificate (expected "-----BEGIN CERTIFICATE-----").',
    ]);
    expect(problemsOf({ TEMPORAL_TLS_SERVER_NAME: "not a host" })).toEqual([
      "Configuration error: TEMPORAL_TLS_SERVER_NAME is invalid: must be a host name, e.g. temporal.internal.",
    ]);
  });

  it("names settings that contradict each other", () => {
    expect(problemsOf({ TEMPORAL_TLS_CLIENT_CERT: certs.files.clientCert })).toEqual([
      "Configuration error: TEMPORAL_TLS_CLIENT_KEY is invalid: must be set with TEMPORAL_TLS_CLIENT_CERT (mTLS needs the certificate and its private key).",
    ]);
    expect(
      problemsOf({ TEMPORAL_TLS_CLIENT_CERT: certs.files.clientCert, TEMPORAL_TLS_CLIENT_KEY: other.files.clientKey }),
    ).toEqual([
      "Configuration error: TEMPORAL_TLS_CLIENT_KEY is invalid: does not belong to TEMPORAL_TLS_CLIENT_CERT (a certificate and key from different pairs).",
    ]);
    expect(
      problemsOf({ TEMPORAL_TLS: "false", TEMPORAL_API_KEY: "k", TEMPORAL_TLS_SERVER_NAME: "temporal.internal" }),
    ).toEqual([
      "Configuration error: TEMPORAL_TLS_SERVER_NAME is invalid: needs TLS, but TEMPORAL_TLS is false (remove one of them).",
      "Configuration error: TEMPORAL_API_KEY is invalid: needs TLS, but TEMPORAL_TLS is false (remove one of them).",
    ]);
    expect(problemsOf({ TEMPORAL_TLS: "yes" })).toHaveLength(1);
    expect(problemsOf({ TEMPORAL_ADDRESS: "animateimg.a1b2c.tmprl.cloud:7233" })).toEqual([
      'Configuration error: TEMPORAL_NAMESPACE is invalid: must be your Temporal Cloud namespace (<name>.<account id>), not "default".',
      "Configuration error: TEMPORAL_API_KEY is invalid: must be set (or TEMPORAL_TLS_CLIENT_CERT + TEMPORAL_TLS_CLIENT_KEY): Temporal Cloud accepts no anonymous connection.",
    ]);
  });
});
