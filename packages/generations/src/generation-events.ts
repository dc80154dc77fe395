import pg from "pg";

/**
 * Live generation changes for the status stream. One LISTEN connection per process (not per
 * subscriber): a trigger on `generations` NOTIFYs `generation_status` with the row's id and
 * owner, and each subscriber hears only its own user's ids. If the connection drops it is
 * re-opened, and subscribers are told to re-read everything (`resync`), so nothing is missed.
 *
 * Every subscriber of one change gets the same event, whose `readOnce` runs the read it is
 * given for the first subscriber only and hands the others the same answer: a progress tick
 * costs one read per process, not one per open tab (a person with ten tabs, or a shared
 * screen, no longer multiplies the database's work).
 */
export interface GenerationEvents {
  subscribe(userId: string, listener: (event: GenerationEvent) => void): () => void;
  close(): Promise<void>;
}

export type GenerationEvent =
  | {
      kind: "changed";
      generationId: string;
      /**
       * The first call runs `read`; every later call, from any subscriber of this change, gets
       * the same promise. All subscribers of a change are the same user (the owner), so a
       * read scoped to that user may be shared.
       */
      readOnce<T>(read: () => Promise<T>): Promise<T>;
    }
  | { kind: "resync" };

function changedEvent(generationId: string): GenerationEvent {
  let shared: Promise<unknown> | undefined;
  return { kind: "changed", generationId, readOnce: <T>(read: () => Promise<T>) => (shared ??= read()) as Promise<T> };
}

export function createGenerationEvents({ databaseUrl }: { databaseUrl: string }): GenerationEvents {
  const listeners = new Map<string, Set<(event: GenerationEvent) => void>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;

  const broadcastResync = () => {
    for (const set of listeners.values()) for (const listener of set) listener({ kind: "resync" });
  };

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: databaseUrl });
      next.on("notification", (message) => {
        if (!message.payload) return;
        const { id, userId } = JSON.parse(message.payload) as { id: string; userId: string };
        const subscribers = listeners.get(userId);
        if (!subscribers) return;
        const event = changedEvent(id);
        for (const listener of subscribers) listener(event);
      });
      next.on("error", () => {
        client = undefined;
        connecting = undefined;
        void next.end().catch(() => {});
        if (!closed && listeners.size > 0) {
          broadcastResync();
          setTimeout(() => void connect().catch(() => {}), 1000);
        }
      });
      await next.connect();
      await next.query("listen generation_status");
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

/** Turns listener callbacks into an async iterable that ends when `signal` aborts. */
export async function* eventsUntilAborted<T>(
  subscribe: (push: (value: T) => void) => () => void,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  const buffered: T[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = subscribe((value) => {
    buffered.push(value);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    while (!signal?.aborted) {
      if (buffered.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      while (buffered.length > 0 && !signal?.aborted) yield buffered.shift()!;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    unsubscribe();
  }
}
