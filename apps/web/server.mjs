// The web app's HTTP server: Next.js's request handler behind node:http, so every request
// carries the TCP peer's address in a header this server always overwrites. Next's own server
// only fills X-Forwarded-For when a client did not send one, so behind no proxy a client could
// choose the address that per-IP rate limits key on. See TRUSTED_PROXY_HOPS in .env.example.
//
//   node server.mjs [--dev] [--port 3000] [--hostname 0.0.0.0]
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import next from "next";

const PEER_ADDRESS_HEADER = "x-animateimg-peer-address"; // @animateimg/auth PEER_ADDRESS_HEADER
// Every answer (pages too) carries the request's id; API routes log it (@animateimg/logging's
// acceptRequestId: a proxy's plain id is kept, anything else replaced).
const REQUEST_ID_HEADER = "x-request-id";
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const dev = args.includes("--dev");
const port = Number(option("port", process.env.PORT ?? "3000"));
const hostname = option("hostname", process.env.HOSTNAME ?? "0.0.0.0");

const app = next({ dev, dir: import.meta.dirname, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
  const incoming = req.headers[REQUEST_ID_HEADER];
  const requestId = typeof incoming === "string" && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  req.headers[REQUEST_ID_HEADER] = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  void handle(req, res);
});
server.listen(port, hostname, () => {
  console.log(`web: listening on http://${hostname}:${port} (${dev ? "development" : "production"})`);
});
