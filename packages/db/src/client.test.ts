// Postgres going away under a query must fail that query, never the process: the connection in
// use emits 'error' on its client, where the pool's own listener does not reach.
import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "kysely";
import { waitFor } from "@animateimg/local-services";
import { createTestDatabase, type TestDatabase } from "./testing";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

it("a connection terminated mid-query fails the query, and the process lives on to query again", async () => {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on("uncaughtException", onUncaught);
  try {
    const { db } = database;
    const slow = sql`select pg_sleep(30)`.execute(db).then(
      () => undefined,
      (error: unknown) => error,
    );
    const victim = await db.connection().execute(async (other) => {
      // The slow query's backend: the one running pg_sleep in this database.
      for (;;) {
        const rows = await sql<{
          pid: number;
        }>`select pid from pg_stat_activity where datname = current_database() and query like '%pg_sleep(30)%' and pid <> pg_backend_pid()`.execute(
          other,
        );
        if (rows.rows[0]) return rows.rows[0].pid;
      }
    });
    await sql`select pg_terminate_backend(${victim})`.execute(db);
    expect(await slow).toBeInstanceOf(Error);
    // The pool may still hand out the dying connection once (the server's goodbye and the
    // socket's end arrive apart); callers retry, and the next try gets a fresh connection.
    const after = await waitFor(
      "a query on a fresh connection",
      () => sql<{ one: number }>`select 1 as one`.execute(db).catch(() => undefined),
      {
        timeoutMs: 10_000,
        intervalMs: 50,
      },
    );
    expect(after.rows[0]?.one).toBe(1);
    // Give the client's 'error' event a turn to fire before judging.
    await new Promise((resolve) => setImmediate(resolve));
    expect(uncaught).toEqual([]);
  } finally {
    process.off("uncaughtException", onUncaught);
  }
});
