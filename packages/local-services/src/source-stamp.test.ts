import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { sourceStamp } from "./source-stamp";

const root = mkdtempSync(path.join(tmpdir(), "animateimg-stamp-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(relative: string, content: string) {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), content);
}

it("changes with a source's content or name, not with tests, dependencies or build output", () => {
  write("app/src/page.tsx", "one");
  write("lock.yaml", "lock");
  const first = sourceStamp(root, ["app", "lock.yaml"]);
  expect(sourceStamp(root, ["app", "lock.yaml"])).toBe(first);

  for (const ignored of [
    "app/src/page.test.tsx",
    "app/node_modules/x/index.js",
    "app/.next/BUILD_ID",
    "app/.next-e2e/x",
    "app/dist/bundle.js",
    "app/next-env.d.ts",
  ]) {
    write(ignored, "anything");
    expect(sourceStamp(root, ["app", "lock.yaml"]), ignored).toBe(first);
  }

  write("app/src/page.tsx", "two");
  const second = sourceStamp(root, ["app", "lock.yaml"]);
  expect(second).not.toBe(first);
  write("lock.yaml", "lock 2");
  expect(sourceStamp(root, ["app", "lock.yaml"])).not.toBe(second);
  write("app/src/other.ts", "");
  expect(sourceStamp(root, ["app", "lock.yaml"])).not.toBe(second);
});
