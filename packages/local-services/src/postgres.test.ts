import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { ensureDatabase, resolvePostgres, withDatabase } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgresServerUrl: string;
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function queryOne(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows[0] as Record<string, unknown>;
  } finally {
    await client.end();
  }
}

describe("resolvePostgres", () => {
  it("uses DATABASE_URL when it is set", async () => {
    const url = withDatabase(inject("postgresServerUrl"), "some_app");
    const lines: string[] = [];
    const resolved = await resolvePostgres({ databaseUrl: url, dataDir: "/nonexistent", log: (l) => lines.push(l) });
    expect(resolved.source).toBe("DATABASE_URL");
    expect(resolved.serverUrl).toBe(withDatabase(url, "postgres"));
    expect(lines).toEqual([expect.stringMatching(/^postgres: using DATABASE_URL/)]);
  });

  it("without a configured server, makes a project-local cluster, creates the database, and stops it", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "animateimg-pg-"));
    dirs.push(dataDir);
    chmodSync(dataDir, 0o755); // as root the cluster runs as `postgres`, which must reach it
    const lines: string[] = [];
    const resolved = await resolvePostgres({ dataDir, skipDefaultServer: true, log: (l) => lines.push(l) });
    try {
      expect(resolved.source).toBe("project-local cluster");
      expect(lines.some((l) => l.includes("creating a project-local cluster"))).toBe(true);
      const url = await ensureDatabase(resolved.serverUrl, "animateimg_local");
      // Creating it again is a no-op, not an error.
      await ensureDatabase(resolved.serverUrl, "animateimg_local");
      const row = await queryOne(url, "select current_database() as db");
      expect(row.db).toBe("animateimg_local");

      // A second process sharing the data folder reuses the running cluster instead of
      // starting another on the same files.
      const again = await resolvePostgres({ dataDir, skipDefaultServer: true, log: () => {} });
      expect(again.serverUrl).toBe(resolved.serverUrl);
      await again.stop(); // no-op: it did not start it
      expect((await queryOne(url, "select 1 as one")).one).toBe(1);
    } finally {
      await resolved.stop();
    }
    await expect(queryOne(withDatabase(resolved.serverUrl, "postgres"), "select 1")).rejects.toThrow();
  });

  it("refuses unsafe database names", async () => {
    await expect(ensureDatabase(inject("postgresServerUrl"), 'x"; drop')).rejects.toThrow(/unsafe database name/);
  });
});
