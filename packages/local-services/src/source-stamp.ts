// A fingerprint of the sources a build reads, so a build step can skip itself when nothing it
// depends on changed (`next build`, the workflow bundle). Content, not timestamps: a fresh
// checkout or a container layer must count as unchanged when the files are the same.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** Folders no build reads from: dependencies, build outputs, local data. */
const skippedDirectories = new Set(["node_modules", "dist", ".turbo", ".data", "coverage", "test-artifacts", ".git"]);

function skipped(name: string, isDirectory: boolean): boolean {
  if (isDirectory) return skippedDirectories.has(name) || name === ".next" || name.startsWith(".next-");
  // Tests are never part of a build's output.
  // next-env.d.ts is rewritten by `next dev` and `next build` differently: not a source.
  return /\.test\.tsx?$/.test(name) || name.endsWith(".tsbuildinfo") || name === "next-env.d.ts";
}

/**
 * sha256 over the relative path and content of every file under `entries` (files or folders,
 * relative to `root`), in a fixed order. Missing entries count as empty.
 */
export function sourceStamp(root: string, entries: readonly string[]): string {
  const hash = createHash("sha256");
  const visit = (relative: string) => {
    const full = path.join(root, relative);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(full, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      )) {
        if (!skipped(entry.name, entry.isDirectory())) visit(path.join(relative, entry.name));
      }
    } else if (stat.isFile()) {
      hash.update(relative).update("\0").update(readFileSync(full)).update("\0");
    }
  };
  for (const entry of entries) visit(entry);
  return hash.digest("hex");
}
