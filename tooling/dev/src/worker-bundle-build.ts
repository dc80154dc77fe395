// The worker's prebuilt workflow bundle for `npm start`: `pnpm build:worker`'s own script
// (apps/worker/src/build-workflow-bundle.ts), which bundles again only when the workflow sources
// changed (a stamp beside the bundle). The worker then loads that file (WORKFLOW_BUNDLE_PATH)
// instead of bundling at every start.
import path from "node:path";
import { startProcess } from "@animateimg/local-services";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const workerDir = path.join(repoRoot, "apps/worker");

/** Where `pnpm build:worker` writes the bundle by default (apps/worker/src/workflow-bundle.ts). */
export const defaultWorkflowBundlePath = path.join(workerDir, "dist/workflow-bundle.js");

export async function buildWorkflowBundleIfChanged({
  bundlePath = defaultWorkflowBundlePath,
  log = () => {},
}: { bundlePath?: string; log?: (line: string) => void } = {}): Promise<{ bundlePath: string; summary: string }> {
  const output: string[] = [];
  // Its own process group, stopped with everything else on Ctrl-C (stopAllStartedProcesses).
  const build = startProcess(
    "worker build",
    path.join(repoRoot, "node_modules/.bin/tsx"),
    ["src/build-workflow-bundle.ts"],
    {
      cwd: workerDir,
      env: { ...process.env, WORKFLOW_BUNDLE_PATH: bundlePath },
      log: (line) => output.push(line),
    },
  );
  const code = await build.exited;
  if (code !== 0) throw new Error(`the workflow bundle build exited with ${code}:\n${output.slice(-20).join("\n")}`);
  const summary = (output.findLast((line) => line.includes("build:worker:")) ?? "").replace(
    /^\[worker build\] build:worker: /,
    "",
  );
  log(`worker: ${summary}`);
  return { bundlePath, summary };
}
