// The web side's Temporal connection: one per process, re-created after an outage. Only the
// orchestrator (and tools that drive Temporal themselves) hold a client.
import { Client, Connection } from "@temporalio/client";
import { clientConnectionOptions, type TemporalConnectionSettings } from "../connection-settings";
import { dataConverterFor } from "../payload-codec";

export interface TemporalClientSource {
  /** The process's client, (re)connecting when needed. */
  get(): Promise<Client>;
  close(): Promise<void>;
}

/**
 * One Temporal connection per process that recovers quickly after an outage: gRPC's reconnect
 * backoff is capped at 2 s (by default it grows to minutes), and a connection that fails a
 * cheap liveness check (at most every 5 s, only when used) is closed and made again, so the
 * web side is back within seconds of the server.
 */
export function createTemporalClientSource(
  options: TemporalConnectionSettings & { connectTimeoutMs?: number },
): TemporalClientSource {
  let current: Promise<{ connection: Connection; client: Client }> | undefined;
  let checkedAt = 0;
  const connect = () =>
    Connection.connect({
      ...clientConnectionOptions(options),
      connectTimeout: options.connectTimeoutMs ?? 3000,
      channelArgs: {
        "grpc.initial_reconnect_backoff_ms": 250,
        "grpc.min_reconnect_backoff_ms": 250,
        "grpc.max_reconnect_backoff_ms": 2000,
        "grpc.keepalive_time_ms": 10_000,
        "grpc.keepalive_timeout_ms": 3000,
        "grpc.keepalive_permit_without_calls": 1,
      },
    }).then((connection) => ({
      connection,
      client: new Client({ connection, namespace: options.namespace, ...dataConverterFor(options.payloadKeys) }),
    }));
  const drop = (stale: Promise<{ connection: Connection }>) => {
    if (current === stale) current = undefined;
    void stale.then((c) => c.connection.close()).catch(() => {});
  };
  return {
    async get() {
      const mine = (current ??= connect());
      let made: { connection: Connection; client: Client };
      try {
        made = await mine;
      } catch (error) {
        if (current === mine) current = undefined; // try again on the next call
        throw error;
      }
      if (Date.now() - checkedAt > 5000) {
        try {
          await made.connection.withDeadline(Date.now() + 1500, () =>
            made.connection.workflowService.getSystemInfo({}),
          );
          checkedAt = Date.now();
        } catch {
          // Unreachable now: start over with a fresh connection (the old channel may sit in a
          // long backoff), and let this call fail with the fresh connection's answer.
          drop(mine);
          const fresh = (current ??= connect());
          return (await fresh).client;
        }
      }
      return made.client;
    },
    async close() {
      const last = current;
      current = undefined;
      if (last) await (await last).connection.close().catch(() => {});
    },
  };
}
