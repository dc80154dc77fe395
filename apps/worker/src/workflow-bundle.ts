// Where this process's workflow code comes from. Production loads the bundle the build step
// wrote (`pnpm build:worker`): N workers start in a second each instead of every one spending
// seconds (and hundreds of MB) bundling the same code, and every process runs exactly the code
// that was built and tested. Development bundles from source so an edit is picked up on restart.
import { existsSync } from "node:fs";
import path from "node:path";

/** Where `pnpm build:worker` writes the bundle unless WORKFLOW_BUNDLE_PATH says otherwise. */
export const defaultWorkflowBundlePath = path.resolve(import.meta.dirname, "../dist/workflow-bundle.js");

export type WorkflowBundleChoice =
  { kind: "prebuilt"; codePath: string } | { kind: "source" } | { kind: "none" } | { kind: "error"; message: string };

export function chooseWorkflowBundle({
  production,
  bundlePath,
  runsWorkflows,
}: {
  production: boolean;
  bundlePath: string | undefined;
  /** false for a process without the main role: it polls activity queues only and loads no workflow code. */
  runsWorkflows: boolean;
}): WorkflowBundleChoice {
  if (!runsWorkflows) return { kind: "none" };
  // An explicit path is always honoured (a dev can try a production bundle); a missing file is an error.
  const wanted = bundlePath ?? (production ? defaultWorkflowBundlePath : undefined);
  if (!wanted) return { kind: "source" };
  const codePath = path.resolve(wanted);
  if (!existsSync(codePath)) {
    return {
      kind: "error",
      message: `Configuration error: WORKFLOW_BUNDLE_PATH is invalid: no workflow bundle at ${codePath} (run \`pnpm build:worker\` first).`,
    };
  }
  return { kind: "prebuilt", codePath };
}
