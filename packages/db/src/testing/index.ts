import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Db } from "../client";

export interface TestDatabase {
  db: Db;
  url: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Admin URL of the Postgres server the test run uses (…/postgres). */
    postgresServerUrl: string;
    /** A migrated database that test databases are cloned from. */
    postgresTemplateDatabase: string;
  }
}

/**
 * A database of this test file's own, cloned from the run's migrated template (CREATE
 * DATABASE … TEMPLATE is a file copy: far faster than migrating each time). Files run in
 * parallel without seeing each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject("postgresServerUrl");
  const template = inject("postgresTemplateDatabase");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb({ url: url.toString(), maxConnections: 5 });
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.destroy();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
