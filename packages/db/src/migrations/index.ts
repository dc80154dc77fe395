import type { Migration, MigrationProvider } from "kysely/migration";
import * as m20261129_0001 from "./2026_11_29_0001_users";

/**
 * Migrations are listed here rather than read from the folder at run time, so they bundle
 * into the web app and the worker alike. Names are their file names: order is by name.
 */
const migrations: Record<string, Migration> = {
  "2026_11_29_0001_users": m20261129_0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
