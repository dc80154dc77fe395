// `npm test`: every check CI runs, in the order that fails fastest: formatting, typecheck and
// lint (through turbo, cached), import boundaries and unused code, then every vitest test against real Postgres and a real
// Temporal dev server. Exit code is the first failure's.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./env";

function step(title: string, command: string, args: string[]): void {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", cwd: repoRoot, env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${title} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${seconds} s)`);
}

const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);
const extraArgs = process.argv.slice(2);

// One format for every file (.prettierrc; `pnpm format` writes it), so diffs show changes, not style.
step("format (prettier --check)", bin("prettier"), ["--check", "--log-level", "warn", "."]);
step("typecheck and lint", bin("turbo"), ["run", "typecheck", "lint", "--output-logs=errors-only"]);
// The package READMEs' "may import" rules (.dependency-cruiser.cjs) and no unused files or
// dependencies (knip.jsonc): drift fails here instead of waiting for a review.
step("import boundaries (dependency-cruiser)", bin("depcruise"), [
  "apps",
  "packages",
  "tooling",
  "--config",
  ".dependency-cruiser.cjs",
  "--output-type",
  "err",
]);
step("unused files and dependencies (knip)", bin("knip"), [
  "--no-progress",
  "--include",
  "files,dependencies,unlisted,binaries,unresolved,catalog",
]);
step("tests (vitest: unit, integration on real Postgres and Temporal)", bin("vitest"), ["run", ...extraArgs]);
