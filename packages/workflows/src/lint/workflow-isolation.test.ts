// The rule that keeps workflow code deterministic is only worth having if it fires: lint
// sample files placed where workflow code lives and check each forbidden import is refused.
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { workflowConfig } from "@animateimg/eslint-config/workflows";

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ...workflowConfig],
  cwd: import.meta.dirname,
});

async function lintAs(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result?.messages.map((m) => m.ruleId) ?? [];
}

describe("workflow isolation lint", () => {
  it.each([
    ['import { readFileSync } from "node:fs";'],
    ['import { createHash } from "crypto";'],
    ['import pg from "pg";'],
    ['import { createDb } from "@animateimg/db";'],
    ['import { Client } from "@temporalio/client";'],
    ['const r = await fetch("https://example.com");'],
    ["const now = Date.now();"],
  ])("refuses %s in src/workflows/", async (code) => {
    expect(await lintAs("src/workflows/sample.ts", code)).not.toHaveLength(0);
  });

  it("allows the workflow API and type-only activity imports", async () => {
    const code =
      'import { proxyActivities, sleep } from "@temporalio/workflow";\nimport type { Activities } from "../activities";\n';
    expect(await lintAs("src/workflows/sample.ts", code)).toEqual([]);
  });

  it("does not restrict activities, which do the I/O", async () => {
    expect(await lintAs("src/activities/sample.ts", 'import pg from "pg";\nconst r = await fetch("x");')).toEqual([]);
  });
});
