import type { IncomingMessage, ServerResponse } from "node:http";

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export function sendHtml(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string) {
  res.writeHead(303, { location });
  res.end();
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Webhook delivery switches shared by both fakes. */
export interface DeliverySwitches {
  /** Send every event twice. */
  duplicates: boolean;
  /** Send the events one action produces in reverse order. */
  outOfOrder: boolean;
  /** Wait this long before sending. */
  delayMs: number;
}

/** API faults: answer slowly (a processor having a bad minute). */
export interface ApiSwitches {
  /** Every API response waits this long. */
  slowApiMs: number;
}

export interface DeliveryRecord {
  eventId: string;
  type: string;
  status: number | "error";
  at: number;
}

/**
 * Posts signed webhooks like a processor does: a batch per action, with the switches applied,
 * and retries with backoff on failure (a few times, faster than the real schedule).
 */
export function createWebhookSender(options: {
  switches: () => DeliverySwitches;
  target: () => string | undefined;
  record: (delivery: DeliveryRecord) => void;
}) {
  const pending = new Set<Promise<void>>();
  async function post(url: string, event: OutgoingEvent) {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        // Signed at send time, as the processor does (the timestamp is part of the signature).
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...event.sign(event.body) },
          body: event.body,
        });
        options.record({ eventId: event.id, type: event.type, status: response.status, at: Date.now() });
        if (response.ok) return;
        // 4xx other than 429 is the receiver's answer (e.g. a bad signature): no retry.
        if (response.status < 500 && response.status !== 429) return;
      } catch {
        options.record({ eventId: event.id, type: event.type, status: "error", at: Date.now() });
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
  return {
    /** Sends the events one action produced, with the switches applied. */
    send(batch: OutgoingEvent[]) {
      const url = options.target();
      if (!url || batch.length === 0) return;
      const switches = options.switches();
      const ordered = switches.outOfOrder ? [...batch].reverse() : batch;
      const run = (async () => {
        if (switches.delayMs > 0) await new Promise((r) => setTimeout(r, switches.delayMs));
        for (const event of ordered) {
          await post(url, event);
          if (switches.duplicates) await post(url, event);
        }
      })();
      pending.add(run);
      void run.finally(() => pending.delete(run));
    },
    /** Resolves when every delivery started so far has finished (tests). */
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

export interface OutgoingEvent {
  id: string;
  type: string;
  body: string;
  sign: (body: string) => Record<string, string>;
}
