// The web app's production build (`next build`), made once and made again only when a source it
// reads changed: apps/web, every internal package (Next compiles their TypeScript), the lockfile.
// A stamp of those sources is kept inside the build folder itself, so deleting the folder or
// building to another NEXT_DIST_DIR always builds.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCommand, sourceStamp } from "@animateimg/local-services";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const webDir = path.join(repoRoot, "apps/web");
const stampName = "animateimg-source-stamp";

export interface WebBuildResult {
  built: boolean;
  distDir: string;
  seconds: number;
}

/** Runs `next build` into `distDir` (relative to apps/web) unless the stamp says it is current. */
export async function buildWebIfChanged({ distDir = ".next", force = false, log = () => {} }: { distDir?: string; force?: boolean; log?: (line: string) => void } = {}): Promise<WebBuildResult> {
  const started = Date.now();
  const stampFile = path.join(webDir, distDir, stampName);
  const stamp = sourceStamp(repoRoot, ["apps/web", "packages", "pnpm-lock.yaml"]);
  // BUILD_ID is written last by next build: without it the folder holds a broken or partial build.
  const complete = existsSync(path.join(webDir, distDir, "BUILD_ID"));
  if (!force && complete && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
    return { built: false, distDir, seconds: (Date.now() - started) / 1000 };
  }
  log(`web: building for production (next build into apps/web/${distDir})…`);
  await runCommand(path.join(webDir, "node_modules/.bin/next"), ["build"], {
    cwd: webDir,
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  writeFileSync(stampFile, stamp);
  return { built: true, distDir, seconds: (Date.now() - started) / 1000 };
}
