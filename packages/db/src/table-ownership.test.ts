// A table has one owner: the domain package that holds every query on it (generations, assets,
// billing, webhooks, auth, …). Transport (packages/api), orchestration (packages/workflows) and
// the apps call those packages' functions and never build a query themselves. The api package
// owns no table of its own (rate limits belong to packages/rate-limit), so nothing there is
// exempt. Tests and test helpers may query directly to set up and inspect rows.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

/** Where no query may be written; every file below them except tests and test helpers. */
const callerRoots = ["packages/api/src", "packages/workflows/src", "apps/web/src", "apps/worker/src"];
const exempt = /(\.test\.tsx?$|\/testing\/|\/test-support\/|\/scripts\/)/;

/** A Kysely query builder started on a table. */
const queryBuilder = /\.\s*(selectFrom|updateTable|insertInto|deleteFrom|replaceInto|mergeInto)\s*\(/g;
/** A raw `sql` template (its text up to the closing backtick)… */
const rawSql = /\bsql\s*(?:<[^`]*?>)?\s*`([^`]*)`/g;
/** …that reads or writes a table (a bare `select 1` health probe does not). */
const touchesTable = /\b(from|into|update|join|table)\s+"?[a-z_]/i;

function findQueries(source: string): Array<{ line: number; text: string }> {
  const found: Array<{ index: number; text: string }> = [];
  for (const match of source.matchAll(queryBuilder))
    found.push({ index: match.index, text: match[0].replace(/\s+/g, "") });
  for (const match of source.matchAll(rawSql)) {
    if (touchesTable.test(match[1] ?? ""))
      found.push({ index: match.index, text: match[0].split("\n")[0]!.slice(0, 60) });
  }
  return found.map(({ index, text }) => ({ line: source.slice(0, index).split("\n").length, text }));
}

function sourceFiles(dir: string): string[] {
  const absolute = path.join(root, dir);
  return readdirSync(absolute, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file) && !file.split(path.sep).includes("node_modules"))
    .map((file) => path.join(dir, file).split(path.sep).join("/"))
    .filter((file) => !exempt.test(file));
}

describe("table ownership", () => {
  it("finds the queries it is meant to refuse, and nothing else", () => {
    expect(findQueries('await db\n  .selectFrom("generations")\n  .select("id")')).toEqual([
      { line: 2, text: ".selectFrom(" },
    ]);
    expect(findQueries('await trx.updateTable("assets").set({})')).toHaveLength(1);
    expect(findQueries('db.insertInto("x"); db.deleteFrom("y")')).toHaveLength(2);
    expect(findQueries("await sql`update generations set status = 'failed'`.execute(db)")).toHaveLength(1);
    expect(findQueries("await sql<{ n: number }>`select count(*) as n from assets`.execute(db)")).toHaveLength(1);
    expect(findQueries("await sql`select 1 as ok`.execute(db)")).toEqual([]);
    expect(findQueries("const rows = await listAssets(db, { userId });")).toEqual([]);
  });

  it("api, workflows and the apps call domain packages instead of querying tables", () => {
    const offenders = callerRoots.flatMap((dir) =>
      sourceFiles(dir).flatMap((file) =>
        findQueries(readFileSync(path.join(root, file), "utf8")).map((q) => `${file}:${q.line} ${q.text}`),
      ),
    );
    // Move each into a function of the package that owns the table (it takes an `Executor`).
    expect(offenders).toEqual([]);
  });
});
