// A TCP proxy we control, between the application and Postgres: `cut()` is Postgres stopping
// (every open connection dies mid-query, new ones are reset), `restore()` is it coming back.
// The machine's shared Postgres is never touched.
// The listener stays open while cut: closing it would free the port, and on a busy machine
// another process's "free port" could take it before `restore()` listens again (EADDRINUSE).
import { createServer, connect, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let isCut = false;
  const server = createServer((client) => {
    if (isCut) {
      // What a client sees of a stopped server: the connection attempt fails at once.
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    port,
    cut: () => {
      isCut = true;
      dropAll();
      return Promise.resolve();
    },
    restore: () => {
      isCut = false;
      return Promise.resolve();
    },
    close: () =>
      new Promise<void>((resolve) => {
        isCut = true;
        server.close(() => resolve());
        dropAll();
      }),
  };
}
