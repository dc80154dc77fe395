// A local endpoint that records every callback a fake sends, for contract tests that verify the
// callbacks with the providers' reference libraries. Waiting is on a condition, never a sleep.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedCallback {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url(path?: string): string;
  received: ReceivedCallback[];
  /** Resolves with the callbacks once `count` have arrived on `path` (rejects after timeoutMs). */
  waitFor(count: number, path?: string, timeoutMs?: number): Promise<ReceivedCallback[]>;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedCallback[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        path: new URL(req.url ?? "/", "http://x").pathname,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(204).end();
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const on = (path: string) => received.filter((r) => r.path === path);
  return {
    url: (path = "/hook") => `${origin}${path}`,
    received,
    waitFor(count, path = "/hook", timeoutMs = 10_000) {
      if (on(path).length >= count) return Promise.resolve(on(path));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} callbacks on ${path}, got ${on(path).length}`));
        }, timeoutMs);
        const check = () => {
          if (on(path).length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(on(path));
        };
        waiters.add(check);
      });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
