// sseFanoutEventsPerSec with `streams` open status streams (tabs of one signed-in user): a
// progress tick written the way the worker writes it, delivered to every stream; events
// delivered per second, and the server's database queries per tick (the goal: independent of
// how many tabs are open, so it is also measured with one stream).
import { recordProgress } from "@animateimg/generations";
import type { Db } from "@animateimg/db";
import { waitFor } from "@animateimg/local-services";
import type { ApiServer } from "./api-server";
import { insertQueuedGenerations } from "./fixtures";
import { createTrpcBrowser } from "./trpc-client";

interface StatusEvent {
  kind: string;
  generation?: { id: string; progress: number };
}

export interface SseFanoutFigures {
  eventsPerSec: number;
  queriesPerEvent: number;
  queriesPerEventOneStream: number;
}

async function fanOut(options: {
  api: ApiServer;
  db: Db;
  userId: string;
  generationId: string;
  streams: number;
  ticks: number;
}) {
  const { api, db, userId, generationId, streams, ticks } = options;
  const browser = createTrpcBrowser({ origin: api.origin, cookie: await api.sessionCookie(userId) });
  let delivered = 0;
  let warmDelivered = 0;
  const opened = await Promise.all(
    Array.from({ length: streams }, () =>
      browser.subscribe<StatusEvent>("generation.onStatus", undefined, (event) => {
        if (event.kind !== "update" || event.generation?.id !== generationId) return;
        if (event.generation.progress === 0) warmDelivered += 1;
        else delivered += 1;
      }),
    ),
  );
  try {
    // Streams are open once the server says so, but its LISTEN may still be connecting: warm-up
    // ticks (progress 0, not counted) until every stream has heard one prove the path.
    await recordProgress(db, generationId, { progress: 0 });
    await waitFor(
      "every stream to hear a warm-up tick",
      async () => {
        if (warmDelivered >= streams) return true;
        await recordProgress(db, generationId, { progress: 0 });
        return undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const queriesBefore = api.queries();
    const started = performance.now();
    for (let tick = 1; tick <= ticks; tick += 1)
      await recordProgress(db, generationId, { progress: tick / (ticks + 1) });
    await waitFor(
      `${streams * ticks} status events`,
      () => Promise.resolve(delivered >= streams * ticks ? true : undefined),
      {
        timeoutMs: 10 * 60_000,
        intervalMs: 5,
      },
    );
    const seconds = (performance.now() - started) / 1000;
    return { eventsPerSec: delivered / seconds, queriesPerEvent: (api.queries() - queriesBefore) / ticks };
  } finally {
    for (const stream of opened) stream.close();
  }
}

export async function measureSseFanout(options: {
  api: ApiServer;
  db: Db;
  userId: string;
  imageAssetId: string;
  streams: number;
  ticks: number;
}): Promise<SseFanoutFigures> {
  const [generationId] = await insertQueuedGenerations(options.db, {
    userId: options.userId,
    imageAssetId: options.imageAssetId,
    count: 1,
    priceCredits: 1,
  });
  const one = await fanOut({ ...options, generationId: generationId!, streams: 1 });
  const many = await fanOut({ ...options, generationId: generationId! });
  return {
    eventsPerSec: many.eventsPerSec,
    queriesPerEvent: many.queriesPerEvent,
    queriesPerEventOneStream: one.queriesPerEvent,
  };
}
