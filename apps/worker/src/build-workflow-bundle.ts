// `pnpm build:worker`: bundles the workflow code once and writes it where production workers
// load it (WORKFLOW_BUNDLE_PATH, default apps/worker/dist/workflow-bundle.js). Skipped when the
// sources that go into the bundle are unchanged since the last build (a stamp beside it).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sourceStamp } from "@animateimg/local-services";
import { defaultWorkflowBundlePath } from "./workflow-bundle";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
// A build step, not the worker: WORKFLOW_BUNDLE_PATH is its only setting (the worker's env.ts
// validates the same variable where the bundle is loaded).
// eslint-disable-next-line no-restricted-properties
const target = path.resolve(process.env.WORKFLOW_BUNDLE_PATH || defaultWorkflowBundlePath);
const stampFile = `${target}.stamp`;
// Workflow code may import only packages/* (lint rule); their sources and the lockfile are the inputs.
const stamp = sourceStamp(repoRoot, ["packages", "pnpm-lock.yaml"]);
if (
  !process.argv.includes("--force") &&
  existsSync(target) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, "utf8") === stamp
) {
  console.log(`build:worker: workflow bundle up to date (${path.relative(process.cwd(), target)})`);
} else {
  const started = Date.now();
  // Loaded only when needed: the SDK's native module takes a while to load, the check above does not.
  const { bundleWorkflows } = await import("@animateimg/workflows/worker");
  const bundle = await bundleWorkflows();
  mkdirSync(path.dirname(target), { recursive: true });
  // Written beside and renamed: a worker starting meanwhile never reads half a file, and two
  // builds at once (two `npm start`s) never write the same temporary file.
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, bundle.code);
  renameSync(temporary, target);
  writeFileSync(stampFile, stamp);
  console.log(
    `build:worker: wrote ${path.relative(process.cwd(), target)} (${Math.round(bundle.code.length / 1024)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
