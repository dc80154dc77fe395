// A browser's side of the tRPC wire protocol, with fetch: mutations as POST with our Origin
// and the session cookie, subscriptions as the SSE stream tRPC's httpSubscriptionLink reads.
// Bodies and events are superjson, as the web app's client sends and reads them.
import superjson from "superjson";

export interface TrpcBrowser {
  mutate<T>(path: string, input: unknown): Promise<T>;
  /** Opens the stream; resolves once the server says it is connected. */
  subscribe<T>(path: string, input: unknown, onData: (value: T) => void): Promise<{ close(): void }>;
}

export function createTrpcBrowser({ origin, cookie }: { origin: string; cookie: string }): TrpcBrowser {
  return {
    async mutate<T>(path: string, input: unknown): Promise<T> {
      const response = await fetch(`${origin}/api/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin, cookie },
        body: JSON.stringify(superjson.serialize(input)),
      });
      const body = (await response.json()) as {
        result?: { data: Parameters<typeof superjson.deserialize>[0] };
        error?: { json?: { message?: string } };
      };
      if (!response.ok || !body.result)
        throw new Error(`${path} answered ${response.status}: ${body.error?.json?.message ?? "no result"}`);
      return superjson.deserialize<T>(body.result.data);
    },

    async subscribe<T>(path: string, input: unknown, onData: (value: T) => void) {
      const controller = new AbortController();
      const query =
        input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
      const response = await fetch(`${origin}/api/trpc/${path}${query}`, {
        headers: { accept: "text/event-stream", cookie },
        signal: controller.signal,
      });
      if (!response.ok || !response.body) throw new Error(`${path} stream answered ${response.status}`);
      let connected: () => void = () => {};
      const ready = new Promise<void>((resolve) => (connected = resolve));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      void (async () => {
        let buffered = "";
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buffered += value;
            let end: number;
            while ((end = buffered.indexOf("\n\n")) >= 0) {
              const message = buffered.slice(0, end);
              buffered = buffered.slice(end + 2);
              const lines = message.split("\n");
              const event = lines.find((line) => line.startsWith("event: "))?.slice(7);
              const data = lines
                .filter((line) => line.startsWith("data: "))
                .map((line) => line.slice(6))
                .join("\n");
              if (event === "connected") connected();
              else if (event === undefined && data)
                onData(superjson.deserialize<T>(JSON.parse(data) as Parameters<typeof superjson.deserialize>[0]));
            }
          }
        } catch {
          // Aborted by close().
        }
      })();
      await ready;
      return { close: () => controller.abort() };
    },
  };
}
