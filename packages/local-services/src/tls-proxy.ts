// TLS in front of a plaintext Temporal dev server, for tests of TLS/mTLS connection settings.
// The dev server itself has no TLS option (`temporal server start-dev` serves plaintext gRPC
// only), so a TLS-terminating proxy stands in for the load balancer or the cluster's frontend:
// after the handshake the bytes are the same HTTP/2 the dev server speaks.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";

export interface TestCertificates {
  /** The CA that signed both certificates (PEM). */
  ca: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  /** The name in the server certificate (not the address the test dials). */
  serverName: string;
  clientCert: Buffer;
  clientKey: Buffer;
  /** The same PEMs as files, for settings given as paths. */
  files: { ca: string; clientCert: string; clientKey: string };
  remove(): void;
}

/** A throwaway CA, a server certificate for `serverName` and a client certificate, made with the machine's openssl. */
export function createTestCertificates(serverName = "temporal.test.internal"): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), "animateimg-tls-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const ecKey = (name: string) =>
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file(name));
  ecKey("ca.key");
  openssl(
    "req",
    "-x509",
    "-new",
    "-key",
    file("ca.key"),
    "-subj",
    "/CN=AnimateImg test CA",
    "-days",
    "2",
    "-out",
    file("ca.pem"),
  );
  const leaf = (name: string, subject: string, extensions: string) => {
    ecKey(`${name}.key`);
    openssl("req", "-new", "-key", file(`${name}.key`), "-subj", subject, "-out", file(`${name}.csr`));
    writeFileSync(file(`${name}.ext`), extensions);
    openssl(
      "x509",
      "-req",
      "-in",
      file(`${name}.csr`),
      "-CA",
      file("ca.pem"),
      "-CAkey",
      file("ca.key"),
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      file(`${name}.ext`),
      "-out",
      file(`${name}.pem`),
    );
  };
  leaf("server", `/CN=${serverName}`, `subjectAltName=DNS:${serverName}\nextendedKeyUsage=serverAuth\n`);
  leaf("client", "/CN=animateimg-worker", "extendedKeyUsage=clientAuth\n");
  return {
    ca: readFileSync(file("ca.pem")),
    serverCert: readFileSync(file("server.pem")),
    serverKey: readFileSync(file("server.key")),
    serverName,
    clientCert: readFileSync(file("client.pem")),
    clientKey: readFileSync(file("client.key")),
    files: { ca: file("ca.pem"), clientCert: file("client.pem"), clientKey: file("client.key") },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TlsProxy {
  /** host:port to dial. */
  address: string;
  /** Handshakes that completed, and the subject CN of each client certificate seen. */
  handshakes: { clientCertificate: string | undefined }[];
  /** Handshakes refused (e.g. no client certificate under mTLS). */
  refusals: number;
  stop(): Promise<void>;
}

/**
 * Listens on a free port with the server certificate and pipes each decrypted connection to
 * `target`. With `requireClientCertificate`, a client must present a certificate signed by
 * the CA (mTLS), as a cluster's frontend configured for mTLS does.
 */
export async function startTlsProxy(options: {
  target: string;
  certificates: TestCertificates;
  requireClientCertificate?: boolean;
}): Promise<TlsProxy> {
  const [host, portText] = splitHostPort(options.target);
  const handshakes: TlsProxy["handshakes"] = [];
  const sockets = new Set<net.Socket>();
  const proxy: TlsProxy = { address: "", handshakes, refusals: 0, stop: async () => {} };
  const server = tls.createServer(
    {
      cert: options.certificates.serverCert,
      key: options.certificates.serverKey,
      ca: options.certificates.ca,
      requestCert: options.requireClientCertificate ?? false,
      rejectUnauthorized: options.requireClientCertificate ?? false,
      ALPNProtocols: ["h2"],
    },
    (client) => {
      const peer = client.getPeerCertificate();
      handshakes.push({ clientCertificate: typeof peer.subject?.CN === "string" ? peer.subject.CN : undefined });
      const upstream = net.connect(Number(portText), host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    },
  );
  server.on("tlsClientError", () => {
    proxy.refusals += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  proxy.address = `127.0.0.1:${port}`;
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

function splitHostPort(address: string): [string, string] {
  const at = address.lastIndexOf(":");
  return [address.slice(0, at).replace(/^\[|\]$/g, ""), address.slice(at + 1)];
}
