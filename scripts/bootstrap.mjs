#!/usr/bin/env node
// The README's two commands start here: `npm start` (bootstrap.mjs dev) and `npm test`
// (bootstrap.mjs test). Plain Node with no dependencies, because on a fresh clone nothing
// else is installed yet. It makes sure pnpm (the pinned version) and the workspace's
// dependencies are present — quickly, when they already are — then hands over to the
// TypeScript command in tooling/dev.
import { spawnSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const mode = process.argv[2];
const commands = { dev: "tooling/dev/src/dev.ts", test: "tooling/dev/src/test.ts" };
if (!(mode in commands)) {
  console.error("usage: node scripts/bootstrap.mjs dev|test");
  process.exit(64);
}

const packageJson = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const pnpmVersion = packageJson.packageManager.replace(/^pnpm@/, "");
const dataDir = process.env.ANIMATEIMG_DATA_DIR ?? path.join(root, ".data");
const toolsDir = path.join(dataDir, "tools", `pnpm-${pnpmVersion}`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
  if (result.status !== 0) {
    console.error(`bootstrap: ${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function versionOf(command) {
  const result = spawnSync(command, ["--version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

// 1. pnpm, the pinned version: from PATH when it matches, else installed into the data folder.
let pnpm = "pnpm";
if (versionOf("pnpm") !== pnpmVersion) {
  pnpm = path.join(toolsDir, "node_modules", ".bin", "pnpm");
  if (versionOf(pnpm) !== pnpmVersion) {
    console.log(`bootstrap: installing pnpm ${pnpmVersion} into ${toolsDir}`);
    mkdirSync(toolsDir, { recursive: true });
    run("npm", ["install", "--prefix", toolsDir, "--no-audit", "--no-fund", "--loglevel=error", `pnpm@${pnpmVersion}`]);
  }
  // turbo and package scripts call `pnpm` by name.
  process.env.PATH = `${path.dirname(pnpm)}${path.delimiter}${process.env.PATH}`;
}

// 2. Dependencies, installed again only when a manifest or the lockfile changed.
function manifestHash() {
  const hash = createHash("sha256");
  const files = ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json"];
  for (const group of ["apps", "packages", "tooling"]) {
    const dir = path.join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) files.push(path.join(group, name, "package.json"));
  }
  for (const file of files) {
    const full = path.join(root, file);
    if (existsSync(full)) hash.update(file).update(readFileSync(full));
  }
  return hash.digest("hex");
}
const stampFile = path.join(root, "node_modules", ".animateimg-install-stamp");
const wanted = manifestHash();
if (!existsSync(stampFile) || readFileSync(stampFile, "utf8") !== wanted) {
  console.log("bootstrap: installing dependencies (pnpm install --frozen-lockfile)");
  run(pnpm, ["install", "--frozen-lockfile"], { env: { ...process.env, CI: process.env.CI ?? "" } });
  writeFileSync(stampFile, wanted);
}

// 3. Hand over. The child owns Ctrl-C (it stops its own children); we just wait for it.
// Node with tsx's loader, not the tsx CLI: the CLI SIGKILLs its child when the child does not
// acknowledge a relayed SIGINT within 30 ms, which on a busy machine cut the shutdown short
// and left Temporal running.
const child = spawn(process.execPath, ["--import", "tsx", commands[mode], ...process.argv.slice(3)], {
  stdio: "inherit",
  cwd: root,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
