// `pnpm scaleout [renders] [providerJobs]`: the scale-out run (scale-out.ts) with a bigger burst
// (default 20 renders and 10 provider jobs), its own Temporal dev server, on the machine's
// Postgres (DATABASE_URL's server, else the dev command's default). Prints the report as JSON.
import path from "node:path";
import { resolvePostgres, withDatabase } from "@animateimg/local-services";
import { repoRoot } from "./app-under-test";
import { runScaleOut } from "./scale-out";

const [renders = 20, providerJobs = 10] = process.argv.slice(2).map(Number);
const postgres = await resolvePostgres({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.ANIMATEIMG_DATA_DIR ?? path.join(repoRoot, ".data"),
});
try {
  const report = await runScaleOut({
    postgresServerUrl: withDatabase(postgres.serverUrl, "postgres"),
    renders,
    providerJobs,
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(report));
  process.exitCode =
    report.violations.length === 0 && report.succeeded === report.created && report.succeededOnWebA === report.created
      ? 0
      : 1;
} finally {
  await postgres.stop();
}
