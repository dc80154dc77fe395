// `pnpm migrate`: the one-shot migration step of a deployment. Run it once per release, before
// starting new web and worker processes (migrations only add, so old processes keep working
// meanwhile). Needs DATABASE_URL; never starts a database of its own (unlike `pnpm db:migrate`,
// which falls back to the dev command's embedded Postgres).
import { databaseEnv, loadEnvOrExit } from "@animateimg/config";
import { createDb, migrateToLatest } from "@animateimg/db";

// This entry point's whole environment is DATABASE_URL: its own one-line env module.
// eslint-disable-next-line no-restricted-properties
const env = loadEnvOrExit(databaseEnv, process.env);
const db = createDb({ url: env.DATABASE_URL, maxConnections: 1 });
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length > 0 ? applied.join("\n") : "migrate: the database is up to date");
} finally {
  await db.destroy();
}
