// Starts what every integration test shares, once per run, and tears it down:
// - a Postgres server (same embedded defaults as the app) with a freshly migrated template
//   database that each test file clones;
// - a Temporal dev server on a free port with its own SQLite file;
// - the workflow bundle, built once and written to a file workers load.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createDb, migrateToLatest } from "@animateimg/db";
import {
  ensureDatabase,
  findS3Server,
  findTemporalCli,
  resolvePostgres,
  startTemporalDevServer,
  withDatabase,
} from "@animateimg/local-services";
import { customSearchAttributes } from "@animateimg/workflows/search-attributes";
import { bundleWorkflows } from "@animateimg/workflows/worker";
// Brings in the ProvidedContext keys these helpers declare.
import type {} from "@animateimg/db/testing";
import type {} from "@animateimg/workflows/testing";

const root = path.resolve(import.meta.dirname, "../..");

export default async function setup(project: TestProject) {
  const log = (line: string) => console.log(`[test setup] ${line}`);
  const dataDir = process.env.ANIMATEIMG_DATA_DIR ?? path.join(root, ".data");
  const scratch = mkdtempSync(path.join(tmpdir(), "animateimg-test-"));

  const postgres = await resolvePostgres({ databaseUrl: process.env.DATABASE_URL, dataDir, log });
  const template = `animateimg_template_${process.pid}`;
  const templateUrl = await ensureDatabase(postgres.serverUrl, template);
  const db = createDb({ url: templateUrl, maxConnections: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }

  // The S3-compatible test server (moto) is installed here, once per run and outside any
  // test's hook timeout: on a fresh clone its pip install takes minutes on a loaded machine.
  const [temporal, bundle] = await Promise.all([
    findTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, dataDir, log }).then((cliPath) =>
      startTemporalDevServer({
        cliPath,
        dbFile: path.join(scratch, "temporal.db"),
        quiet: true,
        searchAttributes: customSearchAttributes,
      }),
    ),
    bundleWorkflows(),
    findS3Server({ dataDir, log }),
  ]);
  const bundlePath = path.join(scratch, "workflow-bundle.js");
  writeFileSync(bundlePath, bundle.code);
  log(`temporal dev server on ${temporal.address}; postgres template ${template}`);

  project.provide("postgresServerUrl", withDatabase(postgres.serverUrl, "postgres"));
  project.provide("postgresTemplateDatabase", template);
  project.provide("temporalAddress", temporal.address);
  project.provide("workflowBundlePath", bundlePath);

  return async () => {
    await temporal.stop();
    const admin = new pg.Client({ connectionString: withDatabase(postgres.serverUrl, "postgres") });
    await admin.connect();
    try {
      await admin.query(`drop database if exists "${template}" with (force)`);
    } finally {
      await admin.end();
    }
    await postgres.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
}
