import type { Kysely } from "kysely";
import { Migrator, type MigrationResultSet } from "kysely/migration";
import { migrationProvider } from "./migrations";

// Migrations are written against an untyped schema (they describe the past, not today's types).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export function createMigrator(db: AnyDb): Migrator {
  // Parallel branches name migrations by prefix (0100, 0200, …), so one may land after a later
  // name is already applied somewhere; each migration stands alone, so running it late is right.
  return new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    const name = failed ? ` (${failed.migrationName})` : "";
    throw new Error(
      `migration failed${name}: ${result.error instanceof Error ? result.error.message : JSON.stringify(result.error)}`,
    );
  }
  return (result.results ?? []).map((r) => `${r.direction === "Up" ? "applied" : "rolled back"} ${r.migrationName}`);
}

/** Applies every pending migration; returns one line per migration it ran. */
export async function migrateToLatest(db: AnyDb): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateToLatest());
}

/** Rolls back the most recent migration. */
export async function rollbackOne(db: AnyDb): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateDown());
}
