// The web app's production build (`next build`), made once and made again only when a source it
// reads changed: apps/web, every internal package (Next compiles their TypeScript), the lockfile.
// A stamp of those sources is kept inside the build folder itself, so deleting the folder or
// building to another NEXT_DIST_DIR always builds.
//
// Several processes may want the same folder at once (`npm start` and `npm test`'s tests that
// share one build, two test files in parallel): a lock beside the folder lets one build while
// the others wait, then find the stamp current and build nothing.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sourceStamp, startProcess } from "@animateimg/local-services";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const webDir = path.join(repoRoot, "apps/web");
const stampName = "animateimg-source-stamp";

export interface WebBuildResult {
  built: boolean;
  distDir: string;
  seconds: number;
}

function isCurrent(distDir: string, stamp: string): boolean {
  // BUILD_ID is written last by next build: without it the folder holds a broken or partial build.
  const stampFile = path.join(webDir, distDir, stampName);
  return (
    existsSync(path.join(webDir, distDir, "BUILD_ID")) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8") === stamp
  );
}

function webSourceStamp(): string {
  return sourceStamp(repoRoot, ["apps/web", "packages", "pnpm-lock.yaml"]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A directory named `.next-lock-…` (mkdir is atomic; the name keeps it out of the source stamp
 * and out of git) holding the owner's pid. A lock whose owner died is taken over.
 */
async function withBuildLock<T>(distDir: string, log: (line: string) => void, work: () => Promise<T>): Promise<T> {
  const lock = path.join(webDir, `.next-lock-${path.basename(distDir).replace(/^\.+/, "")}`);
  const owner = path.join(lock, "pid");
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const pid = Number(existsSync(owner) ? readFileSync(owner, "utf8") : NaN);
    // No pid yet: its owner is between mkdir and write, unless it died there (then the lock is old).
    const abandoned =
      Number.isInteger(pid) && pid > 0
        ? !isAlive(pid)
        : Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 10_000;
    if (abandoned) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!announced) log(`web: another process (pid ${pid}) is building apps/web/${distDir}; waiting for it…`);
    announced = true;
    await sleep(1000);
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs `next build` into `distDir` (relative to apps/web) unless the stamp says it is current. */
export async function buildWebIfChanged({
  distDir = ".next",
  force = false,
  log = () => {},
}: { distDir?: string; force?: boolean; log?: (line: string) => void } = {}): Promise<WebBuildResult> {
  const started = Date.now();
  const stamp = webSourceStamp();
  if (!force && isCurrent(distDir, stamp)) return { built: false, distDir, seconds: (Date.now() - started) / 1000 };
  return withBuildLock(distDir, log, async () => {
    // Someone else may have built it while we waited for the lock.
    if (!force && isCurrent(distDir, stamp)) return { built: false, distDir, seconds: (Date.now() - started) / 1000 };
    log(`web: building for production (next build into apps/web/${distDir}; again only when a source changes)…`);
    // Its own process group, stopped with everything else on Ctrl-C (stopAllStartedProcesses).
    const output: string[] = [];
    const build = startProcess("web build", path.join(webDir, "node_modules/.bin/next"), ["build"], {
      cwd: webDir,
      env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      log: (line) => {
        output.push(line);
        log(line);
      },
    });
    const code = await build.exited;
    if (code !== 0)
      throw new Error(`next build into apps/web/${distDir} exited with ${code}:\n${output.slice(-20).join("\n")}`);
    writeFileSync(path.join(webDir, distDir, stampName), stamp);
    return { built: true, distDir, seconds: (Date.now() - started) / 1000 };
  });
}
