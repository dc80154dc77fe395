import pg from "pg";

/**
 * Live balance changes for the header's balance chip. One LISTEN connection per process: a
 * trigger on credit_balances NOTIFYs `credit_balance` with the owner's id on every change, and
 * each subscriber hears only its own user. A dropped connection is re-opened and subscribers
 * are told to re-read (`resync`).
 */
export interface BalanceEvents {
  subscribe(userId: string, listener: (event: BalanceEvent) => void): () => void;
  close(): Promise<void>;
}

export type BalanceEvent = { kind: "changed" } | { kind: "resync" };

export function createBalanceEvents({ databaseUrl }: { databaseUrl: string }): BalanceEvents {
  const listeners = new Map<string, Set<(event: BalanceEvent) => void>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: databaseUrl });
      next.on("notification", (message) => {
        if (!message.payload) return;
        const { userId } = JSON.parse(message.payload) as { userId: string };
        for (const listener of listeners.get(userId) ?? []) listener({ kind: "changed" });
      });
      next.on("error", () => {
        client = undefined;
        connecting = undefined;
        void next.end().catch(() => {});
        if (!closed && listeners.size > 0) {
          for (const set of listeners.values()) for (const listener of set) listener({ kind: "resync" });
          setTimeout(() => void connect().catch(() => {}), 1000);
        }
      });
      await next.connect();
      await next.query("listen credit_balance");
      client = next;
    })().catch((error: unknown) => {
      connecting = undefined;
      throw error;
    });
    return connecting;
  };

  return {
    subscribe(userId, listener) {
      let set = listeners.get(userId);
      if (!set) listeners.set(userId, (set = new Set()));
      set.add(listener);
      void connect().catch(() => listener({ kind: "resync" }));
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(userId);
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      await connecting?.catch(() => {});
      await client?.end();
    },
  };
}
