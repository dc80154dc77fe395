#!/usr/bin/env node
// After `pnpm deploy` of the web app (the container image): Turbopack's production build
// requires server-external packages (pg, sharp, the AWS SDK, …) through symlinks it writes into
// <build>/node_modules, pointing into the workspace's pnpm store (../../../../../node_modules/.pnpm/…).
// pnpm deploy copies no node_modules folder, and the deployed copy has its own store, so the
// links are made again there, each to the same package in the deployed store. Fails, naming the
// package, when the deployed copy lacks one (a missing dependency of @animateimg/web).
//
//   node scripts/relink-next-externals.mjs <built app dir> <deployed app dir> [dist dir, default .next]
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";

const [builtApp, deployedApp, distDir = ".next"] = process.argv.slice(2);
if (!builtApp || !deployedApp) {
  console.error("usage: relink-next-externals.mjs <built app dir> <deployed app dir> [dist dir]");
  process.exit(64);
}
const from = path.resolve(builtApp, distDir, "node_modules");
const to = path.resolve(deployedApp, distDir, "node_modules");
const store = path.resolve(deployedApp, "node_modules/.pnpm");
if (!existsSync(from)) {
  console.log(`relink: ${from} does not exist (no server-external packages); nothing to do`);
  process.exit(0);
}
let linked = 0;
const missing = [];
const visit = (relative) => {
  for (const entry of readdirSync(path.join(from, relative))) {
    const name = path.join(relative, entry);
    const source = path.join(from, name);
    if (lstatSync(source).isSymbolicLink()) {
      const target = readlinkSync(source);
      const marker = `node_modules${path.sep}.pnpm${path.sep}`;
      const tail = target.includes(marker) ? target.slice(target.indexOf(marker) + marker.length) : undefined;
      const resolved = tail ? path.join(store, tail) : undefined;
      if (!resolved || !existsSync(resolved)) {
        missing.push(`${name} -> ${target}`);
        continue;
      }
      const link = path.join(to, name);
      mkdirSync(path.dirname(link), { recursive: true });
      rmSync(link, { force: true, recursive: true });
      symlinkSync(path.relative(path.dirname(link), resolved), link);
      linked += 1;
    } else if (lstatSync(source).isDirectory()) {
      visit(name);
    }
  }
};
visit("");
if (missing.length > 0) {
  console.error(`relink: not in the deployed store:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
console.log(`relink: ${linked} server-external package(s) linked into ${to}`);
