// The tRPC endpoint over real HTTP, mounted the way apps/web mounts it (createTrpcFetchHandler
// with the same dependencies: session from the cookie, one LISTEN connection for the status
// stream), on a free port. Every query its database runs is counted, so a measurement can
// report queries per request or per event.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Client } from "@temporalio/client";
import type { KyselyPlugin } from "kysely";
import { createSessionResolver, createTrpcFetchHandler, type ApiDependencies } from "@animateimg/api";
import { createSession, SESSION_COOKIE_NAME } from "@animateimg/auth";
import type { Db } from "@animateimg/db";
import { createGenerationEvents } from "@animateimg/generations";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

export interface ApiServer {
  origin: string;
  /** Queries run by the server's database handle since it started. */
  queries(): number;
  /** A signed-in browser's Cookie header for `userId`. */
  sessionCookie(userId: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startApiServer(options: {
  db: Db;
  databaseUrl: string;
  client: Client;
  taskQueue: string;
}): Promise<ApiServer> {
  let queries = 0;
  const counting: KyselyPlugin = {
    transformQuery: (args) => {
      queries += 1;
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  const db = options.db.withPlugin(counting);
  const events = createGenerationEvents({ databaseUrl: options.databaseUrl });
  const deps: ApiDependencies = {
    db,
    orchestrator: createOrchestrator({ client: () => Promise.resolve(options.client), taskQueue: options.taskQueue }),
    resolveSession: createSessionResolver(db),
    generations: { events, blobUrls: { urlFor: (grant) => `/api/blobs/${encodeURIComponent(grant.key)}` } },
  };
  let origin = "";
  const handler = createTrpcFetchHandler({ endpoint: "/api/trpc", getDependencies: () => deps, allowedOrigins: [] });

  const server = createServer((req, res) => void serve(req, res));
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    try {
      const chunks: Buffer[] = [];
      if (req.method !== "GET" && req.method !== "HEAD") for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const response = await handler(
        new Request(`${origin}${req.url}`, {
          method: req.method,
          headers,
          signal: controller.signal,
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return void res.end();
      // Streamed as it comes: the status stream (SSE) never ends on its own.
      for await (const chunk of response.body) res.write(chunk);
      res.end();
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    queries: () => queries,
    sessionCookie: async (userId) => `${SESSION_COOKIE_NAME}=${(await createSession(options.db, { userId })).token}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await events.close();
    },
  };
}
