// `pnpm bench:startup` end to end: two `npm start`s (cold, warm), a first visit of every page
// after each, and one JSON line holding every field the README's start-up section lists. With
// --reuse-build it builds into the folder the tests share (built once per test run, or not at
// all while current), so this checks that every field is printed, not how fast anything is.
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { pagesOfTheApp } from "./app-pages";
import { repoRoot } from "./env";

declare module "vitest" {
  export interface ProvidedContext {
    postgresServerUrl: string;
  }
}

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(repoRoot, "tooling/dev/src/bench-startup.ts"), ...args],
      {
        cwd: repoRoot,
        // The run's Postgres server; the bench makes (and drops) a database of its own there.
        env: { ...process.env, DATABASE_URL: inject("postgresServerUrl") },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("bench:startup --reuse-build", () => {
  it("lists every page of the app, signed-in ones as the demo user", () => {
    const pages = pagesOfTheApp();
    const routes = pages.map((page) => page.route);
    for (const route of [
      "/",
      "/sign-in",
      "/sign-up",
      "/gallery",
      "/settings",
      "/privacy",
      "/activity",
      "/workspace",
      "/admin/providers",
      "/unsubscribe/[token]",
    ])
      expect(routes).toContain(route);
    expect(routes).not.toContain("/api/trpc/[trpc]");
    expect(pages.find((page) => page.route === "/workspace")?.as).toBe("demo");
    expect(pages.find((page) => page.route === "/sign-in")?.as).toBe("anonymous");
    expect(pages.find((page) => page.route === "/admin/providers")?.as).toBe("admin");
    expect(pages.find((page) => page.route === "/unsubscribe/[token]")?.path).not.toContain("[");
  });

  it(
    "starts npm start cold and warm, visits every page after each and prints every field",
    { timeout: 30 * 60_000 },
    async () => {
      const { code, stdout, stderr } = await runBench(["--reuse-build"]);
      expect(code, stderr.slice(-6000)).toBe(0);
      const figures = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
      expect(Object.keys(figures).sort()).toEqual(
        [
          "coldStartSeconds",
          "coldWebBuildSeconds",
          "warmStartSeconds",
          "firstVisitMs",
          "firstVisitMaxMs",
          "coldFirstVisitMs",
          "coldFirstVisitMaxMs",
          "secondVisitMs",
          "pagesAtOrOver1s",
          "machine",
        ].sort(),
      );
      for (const field of ["coldStartSeconds", "warmStartSeconds", "firstVisitMaxMs", "coldFirstVisitMaxMs"]) {
        expect(typeof figures[field], field).toBe("number");
        expect(figures[field] as number, field).toBeGreaterThan(0);
      }
      // Null when the shared build was already current, else the seconds next build took.
      expect(figures.coldWebBuildSeconds === null || typeof figures.coldWebBuildSeconds === "number").toBe(true);
      const routes = pagesOfTheApp()
        .map((page) => page.route)
        .sort();
      for (const field of ["firstVisitMs", "coldFirstVisitMs", "secondVisitMs"]) {
        const visits = figures[field] as Record<string, number>;
        expect(Object.keys(visits).sort(), field).toEqual(routes);
        for (const [route, ms] of Object.entries(visits)) expect(ms, `${field} ${route}`).toBeGreaterThan(0);
      }
      expect(Array.isArray(figures.pagesAtOrOver1s)).toBe(true);
      const machine = figures.machine as { cores: number; loadAvgStart: number[]; loadAvgEnd: number[] };
      expect(machine.cores).toBeGreaterThan(0);
      expect(machine.loadAvgStart).toHaveLength(3);
      expect(machine.loadAvgEnd).toHaveLength(3);
      // The plain lines say each figure beside its goal.
      expect(stdout).toMatch(/^npm start, cold .*: [\d.]+ s to healthy/m);
      expect(stdout).toMatch(/^npm start, warm .*: [\d.]+ s to healthy/m);
      expect(stdout).toContain("first visit of every page after the warm start (goal < 1000 ms each):");
    },
  );
});
