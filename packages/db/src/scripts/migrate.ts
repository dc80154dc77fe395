// `pnpm db:migrate` / `pnpm db:rollback`: against DATABASE_URL, or the database the dev
// command would choose (same embedded defaults), so both work on a fresh clone.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDatabase, resolvePostgres } from "@animateimg/local-services";
import { createDb, migrateToLatest, rollbackOne } from "../index";

const direction = process.argv[2];
if (direction !== "latest" && direction !== "down") {
  console.error("usage: migrate.ts latest|down");
  process.exit(64);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const dataDir = process.env.ANIMATEIMG_DATA_DIR ?? path.join(root, ".data");
const postgres = await resolvePostgres({ databaseUrl: process.env.DATABASE_URL, dataDir });
const url =
  process.env.DATABASE_URL ?? (await ensureDatabase(postgres.serverUrl, process.env.DATABASE_NAME ?? "animateimg"));
const db = createDb({ url, maxConnections: 1 });
try {
  const lines = direction === "latest" ? await migrateToLatest(db) : await rollbackOne(db);
  console.log(lines.length > 0 ? lines.join("\n") : "nothing to do");
} finally {
  await db.destroy();
  await postgres.stop();
}
