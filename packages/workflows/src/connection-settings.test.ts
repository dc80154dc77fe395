// A real TLS connection: the worker (Rust core's NativeConnection) and the client (grpc-js)
// both reach the Temporal dev server through a TLS-terminating proxy that demands a client
// certificate (mTLS), checking the server's certificate against a private CA under a server
// name that differs from the dialled address, as with a self-hosted cluster behind a load balancer.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import {
  createTestCertificates,
  startTlsProxy,
  type TestCertificates,
  type TlsProxy,
} from "@animateimg/local-services";
import { createTemporalClientSource } from "./orchestrator";
import { workflowTypes, type HealthCheckResult } from "./shared";
import { healthCheckWorkflowId } from "./workflow-ids";
import { testActivityDependencies } from "./testing";
import { createWorker } from "./worker";

let database: TestDatabase;
let certs: TestCertificates;
let proxy: TlsProxy;

beforeAll(async () => {
  database = await createTestDatabase();
  certs = createTestCertificates();
  proxy = await startTlsProxy({
    target: inject("temporalAddress"),
    certificates: certs,
    requireClientCertificate: true,
  });
});
afterAll(async () => {
  await proxy?.stop();
  certs?.remove();
  await database?.drop();
});

describe("Temporal over mTLS", () => {
  it("runs a workflow with worker and client both connected through TLS with client certificates", async () => {
    const settings = {
      address: proxy.address,
      namespace: "default",
      tls: {
        serverNameOverride: certs.serverName,
        serverRootCACertificate: certs.ca,
        clientCertPair: { crt: certs.clientCert, key: certs.clientKey },
      },
    };
    const taskQueue = `tls-${randomBytes(4).toString("hex")}`;
    const { worker, connection } = await createWorker({
      ...settings,
      taskQueue,
      deps: { db: database.db, ...testActivityDependencies() },
      identity: "tls-test-worker",
      workflowBundle: { codePath: inject("workflowBundlePath") },
    });
    const running = worker.run();
    const source = createTemporalClientSource(settings);
    try {
      const client = await source.get();
      const result = await client.workflow.execute<() => Promise<HealthCheckResult>>(workflowTypes.healthCheck, {
        taskQueue,
        workflowId: healthCheckWorkflowId(randomBytes(6).toString("hex")),
      });
      expect(result.workerIdentity).toBe("tls-test-worker");
      // Every connection (worker and client) came through the proxy with our client certificate.
      expect(proxy.handshakes.length).toBeGreaterThanOrEqual(2);
      expect(proxy.handshakes.every((h) => h.clientCertificate === "animateimg-worker")).toBe(true);
    } finally {
      await source.close();
      worker.shutdown();
      await running;
      await connection.close();
    }
  });

  it("refuses a connection without a client certificate, or with a server name the certificate does not carry", async () => {
    const refusalsBefore = proxy.refusals;
    const withoutClientCert = createTemporalClientSource({
      address: proxy.address,
      namespace: "default",
      tls: { serverNameOverride: certs.serverName, serverRootCACertificate: certs.ca },
      connectTimeoutMs: 2000,
    });
    await expect(withoutClientCert.get()).rejects.toThrow();
    await withoutClientCert.close();
    expect(proxy.refusals).toBeGreaterThan(refusalsBefore);

    // 127.0.0.1 is not in the server certificate: the client itself refuses the server.
    const wrongName = createTemporalClientSource({
      address: proxy.address,
      namespace: "default",
      tls: { serverRootCACertificate: certs.ca, clientCertPair: { crt: certs.clientCert, key: certs.clientKey } },
      connectTimeoutMs: 2000,
    });
    await expect(wrongName.get()).rejects.toThrow();
    await wrongName.close();
  });
});
