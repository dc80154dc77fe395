// `pnpm build:web`: the web app's production build, skipped when its sources are unchanged
// (web-build.ts). `--force` builds anyway. NEXT_DIST_DIR chooses the folder (default .next).
import { stopAllStartedProcesses } from "@animateimg/local-services";
import { buildWebIfChanged } from "./web-build";

// next build runs in its own process group: stop it too when this command is interrupted.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void stopAllStartedProcesses().then(() => process.exit(130)));
}

const result = await buildWebIfChanged({
  distDir: process.env.NEXT_DIST_DIR || ".next",
  force: process.argv.includes("--force"),
  log: (line) => console.log(line),
});
console.log(
  result.built
    ? `build:web: built apps/web/${result.distDir} in ${result.seconds.toFixed(1)} s`
    : `build:web: apps/web/${result.distDir} is up to date with its sources (checked in ${result.seconds.toFixed(2)} s)`,
);
