import { createServer, connect, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

let echo: Server;
let proxy: TcpProxy;

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  proxy = await startTcpProxy({ host: "127.0.0.1", port: (echo.address() as { port: number }).port });
});
afterAll(async () => {
  await proxy.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

/** Sends "ping" through the proxy: the echoed text, or the error code the client saw. */
function roundTrip(): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(proxy.port, "127.0.0.1");
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    socket.once("data", (data) => {
      resolve(data.toString());
      socket.destroy();
    });
    socket.once("close", () => resolve("closed"));
    socket.write("ping");
  });
}

describe("chaos TCP proxy", () => {
  it("passes traffic, refuses it while cut, and passes it again on the same port after restore", async () => {
    const port = proxy.port;
    expect(await roundTrip()).toBe("ping");
    await proxy.cut();
    expect(await roundTrip()).toMatch(/^(ECONNRESET|closed)$/);
    await proxy.restore();
    expect(proxy.port).toBe(port);
    expect(await roundTrip()).toBe("ping");
  });

  it("cuts connections that are open when the cut comes", async () => {
    const socket = connect(proxy.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => undefined);
    await proxy.cut();
    await ended;
    await proxy.restore();
  });
});
