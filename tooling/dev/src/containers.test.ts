// Docker is not available where the tests run, so the container files are checked as text:
// compose.yaml (parsed as YAML) refers only to Dockerfiles, folders and variables that exist;
// each Dockerfile's stages, users, commands and scripts are real. What this cannot prove (an
// image builds, the containers start) is listed in the README's "Container images".
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "./env";

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  user?: string;
}

const composeText = readFileSync(path.join(repoRoot, "compose.yaml"), "utf8");
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const envExample = new Set(
  readFileSync(path.join(repoRoot, ".env.example"), "utf8")
    .split("\n")
    .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name)),
);
const rootPackage = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  packageManager: string;
  scripts: Record<string, string>;
  engines: { node: string };
};
const dockerfiles = { web: "apps/web/Dockerfile", worker: "apps/worker/Dockerfile" } as const;

function stagesOf(dockerfile: string) {
  const lines = readFileSync(path.join(repoRoot, dockerfile), "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const args = new Map(
    lines.flatMap((line) =>
      /^ARG (\w+)=(\S+)/.exec(line)
        ? [[/^ARG (\w+)=(\S+)/.exec(line)![1]!, /^ARG (\w+)=(\S+)/.exec(line)![2]!] as const]
        : [],
    ),
  );
  const stages: Array<{ name: string; from: string; lines: string[] }> = [];
  for (const line of lines) {
    const from = /^FROM (\S+) AS (\S+)/i.exec(line);
    if (from)
      stages.push({
        name: from[2]!,
        from: from[1]!.replace(/\$\{(\w+)\}/g, (_m, name: string) => args.get(name) ?? ""),
        lines: [],
      });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

describe("compose.yaml", () => {
  it("has Postgres, Temporal and its UI, an S3-compatible store, migrate, web and worker", () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(["postgres", "temporal", "temporal-ui", "minio", "migrate", "web", "worker"]),
    );
  });

  it("builds only from Dockerfiles and contexts that exist, and every service has an image or a build", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image ?? service.build, name).toBeTruthy();
      if (service.build) {
        expect(existsSync(path.join(repoRoot, service.build.context)), `${name} context`).toBe(true);
        expect(
          existsSync(path.join(repoRoot, service.build.context, service.build.dockerfile)),
          `${name} dockerfile`,
        ).toBe(true);
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(":")[0]!;
        if (source.startsWith("."))
          expect(existsSync(path.join(repoRoot, source)), `${name} bind mount ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes ?? {}), `${name} volume ${source}`).toContain(source);
      }
      const dependencies = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies)
        expect(Object.keys(compose.services), `${name} depends on ${dependency}`).toContain(dependency);
    }
  });

  it("reads only variables documented in .env.example, and passes web and worker only settings they know", () => {
    const referenced = [...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]!);
    expect(referenced.length).toBeGreaterThan(10);
    expect([...new Set(referenced)].filter((name) => !envExample.has(name))).toEqual([]);
    for (const name of ["web", "worker", "migrate"]) {
      const passed = Object.keys(compose.services[name]!.environment ?? {});
      expect(passed, name).toContain("DATABASE_URL");
      expect(
        passed.filter((variable) => !envExample.has(variable)),
        name,
      ).toEqual([]);
    }
  });

  it("runs the migration once, before web and worker, from the worker's image", () => {
    const migrate = compose.services.migrate!;
    expect(migrate.build?.dockerfile).toBe(dockerfiles.worker);
    expect(migrate.command).toEqual(["node_modules/.bin/tsx", "src/migrate.ts"]);
    expect(existsSync(path.join(repoRoot, "apps/worker", migrate.command![1]!))).toBe(true);
    for (const name of ["web", "worker"]) {
      const dependsOn = compose.services[name]!.depends_on;
      expect(Array.isArray(dependsOn) ? undefined : dependsOn?.migrate?.condition, name).toBe(
        "service_completed_successfully",
      );
    }
  });
});

describe.each(Object.entries(dockerfiles))("the %s Dockerfile", (app, dockerfile) => {
  const stages = stagesOf(dockerfile);
  const runtime = stages.at(-1)!;
  const all = stages.flatMap((stage) => stage.lines);

  it("is multi-stage: a build stage with the workspace, a runtime stage with only `pnpm deploy`'s output", () => {
    expect(stages.map((stage) => stage.name)).toEqual(["build", "runtime"]);
    const copies = runtime.lines.filter((line) => line.startsWith("COPY"));
    expect(copies).toEqual([expect.stringMatching(new RegExp(`^COPY --from=build .*/out/${app} /app$`))]);
    const deploy = all.find((line) => line.includes(" deploy "))!;
    expect(deploy).toContain(`pnpm --filter @animateimg/${app} deploy --prod /out/${app}`);
    expect(existsSync(path.join(repoRoot, "apps", app, "package.json"))).toBe(true);
  });

  it("runs as a user other than root, on the Node the workspace asks for, with the pinned pnpm", () => {
    const user = runtime.lines.filter((line) => line.startsWith("USER ")).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    for (const stage of stages) expect(stage.from).toMatch(/^node:(\d+)/);
    const major = Number(/^node:(\d+)/.exec(runtime.from)![1]);
    expect(major).toBeGreaterThanOrEqual(Number(/>=(\d+)/.exec(rootPackage.engines.node)![1]));
    expect(all.find((line) => line.includes("npm install -g"))).toContain(rootPackage.packageManager);
  });

  it("calls only scripts and files that exist", () => {
    for (const line of all.filter((l) => l.startsWith("RUN "))) {
      for (const match of line.matchAll(/pnpm ([a-z][\w:-]*)/g)) {
        const script = match[1]!;
        if (["fetch", "install", "--filter"].includes(script)) continue;
        expect(Object.keys(rootPackage.scripts), line).toContain(script);
      }
      for (const match of line.matchAll(/node (scripts\/\S+)/g))
        expect(existsSync(path.join(repoRoot, match[1]!)), line).toBe(true);
    }
    const cmd = JSON.parse(runtime.lines.find((line) => line.startsWith("CMD "))!.slice(4)) as string[];
    expect(existsSync(path.join(repoRoot, "apps", app, cmd.at(-1)!)), cmd.join(" ")).toBe(true);
  });
});

it(".dockerignore keeps dependencies, build output, local data and secrets out of the build context", () => {
  const ignored = readFileSync(path.join(repoRoot, ".dockerignore"), "utf8").split("\n");
  for (const entry of ["**/node_modules", "**/.next", "**/dist", ".data", ".env", ".git"])
    expect(ignored).toContain(entry);
});
