import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import type { Database } from "./schema";

// Return int8/numeric as strings is pg's default; counts and credit sums are read as numbers
// where they are small, so parse bigint (OID 20) as a JS number. Credit amounts stay far
// below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export interface CreateDbOptions {
  url: string;
  /** Pool size; the web app and the worker each have their own pool. */
  maxConnections?: number;
}

export type Db = Kysely<Database>;

/**
 * What every repository function takes first: the pool, or a transaction the caller opened, so
 * a domain function can join the caller's transaction. The one name for it in the codebase.
 */
export type Executor = Db | Transaction<Database>;

/**
 * Runs `fn` inside the caller's transaction when `db` is one (so its writes commit or roll back
 * with the caller's), else inside a new transaction of its own.
 */
export function inTransaction<T>(db: Executor, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}

export function createDb({ url, maxConnections = 10 }: CreateDbOptions): Db {
  // A connect that gets no answer (server paused, network partition) fails after 10 s instead of
  // hanging the caller forever; callers retry.
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection the server drops (restart, failover, admin terminate) emits 'error' on
  // the pool; without a listener that crashes the whole process. The pool discards the client
  // and the next query opens a new one, so a warning is all it needs.
  pool.on("error", (error) => console.warn(`postgres: an idle connection was closed (${error.message})`));
  // A connection that dies while checked out (Postgres stopped mid-query) emits 'error' on the
  // client itself, where the pool's listener does not reach: the query in flight already fails
  // with the same error, so this listener only keeps the process alive. The pool drops the
  // broken client when it is released.
  pool.on("connect", (client) => {
    client.on("error", (error) => console.warn(`postgres: a connection in use was closed (${error.message})`));
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
