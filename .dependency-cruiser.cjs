// Import boundaries, checked by `npm test` (step "boundaries"). The rules are the "may import"
// lines of the package READMEs and ARCHITECTURE.md, written down once so a drift fails the build
// instead of waiting for a review. Type-only imports are allowed across boundaries: a type
// carries no behaviour, and pages need the shapes the API returns.
// Tests, test helpers, dev scripts and build scripts (run by `pnpm build:*`, never at request time).
const tests =
  "(\\.test\\.tsx?$|/testing/|/test-support/|/scripts/|vitest\\.config|eslint\\.config|^apps/worker/src/build-workflow-bundle\\.ts$)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules form a tree; a cycle means two modules own one job.",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "Every import resolves to a file or an installed package.",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "packages-not-to-entry-points",
      severity: "error",
      comment: "Packages are boundaries; apps and tooling are entry points nothing imports.",
      from: { path: "^packages/" },
      to: { path: "^(apps|tooling)/", pathNot: "^tooling/(eslint|typescript)/" },
    },
    {
      name: "apps-not-to-tooling",
      severity: "error",
      comment: "The shared lint and TypeScript configs are the only tooling an app reads.",
      from: { path: "^apps/" },
      to: { path: "^tooling/", pathNot: "^tooling/(eslint|typescript)/" },
    },
    {
      name: "not-to-dev-dependency",
      severity: "error",
      comment:
        "Code that ships must not need what `pnpm install --prod` leaves out (tests, testing helpers and dev scripts may).",
      from: { path: "^(packages|apps)/", pathNot: tests },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "local-services-only-for-dev-and-tests",
      severity: "error",
      comment:
        "packages/local-services starts embedded Postgres/Temporal for the dev command and tests; the app never needs it at request time.",
      from: { path: "^(packages|apps)/", pathNot: `${tests}|^packages/local-services/` },
      to: { path: "^packages/local-services/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "domain-not-to-frameworks",
      severity: "error",
      comment: "Domain packages are framework-free: tRPC lives in packages/api, Next.js and React in apps/web.",
      from: { path: "^packages/", pathNot: "^packages/api/" },
      to: { path: "node_modules/(@trpc/server|next|react|react-dom)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "api-not-to-next",
      severity: "error",
      comment: "packages/api README: never Next.js.",
      from: { path: "^packages/api/" },
      to: { path: "node_modules/(next|react|react-dom)/" },
    },
    {
      name: "db-imports-only-its-driver",
      severity: "error",
      comment: "packages/db README: may import kysely, pg and @animateimg/config.",
      from: { path: "^packages/db/src/", pathNot: tests },
      to: {
        dependencyTypesNot: ["type-only", "core"],
        pathNot: "^packages/(db|config)/|node_modules/(kysely|pg|pg-[a-z-]+|zod)/",
      },
    },
    {
      name: "logging-imports-only-pino",
      severity: "error",
      from: { path: "^packages/logging/src/", pathNot: tests },
      to: {
        dependencyTypesNot: ["type-only", "core"],
        pathNot: "^packages/logging/|node_modules/(pino|pino-[a-z-]+)/",
      },
    },
    {
      name: "workflows-see-activities-as-types",
      severity: "error",
      comment: "Workflow code is replayed deterministically: it sees activities only through `import type`.",
      from: { path: "^packages/workflows/src/workflows/", pathNot: tests },
      to: { path: "^packages/workflows/src/activities/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "temporal-client-only-in-the-seam",
      severity: "error",
      comment:
        "One seam drives Temporal: the web side (apps/web, packages/api, tests included) and every other package reach it through @animateimg/workflows/orchestrator, whose operations build the workflow ids of workflow-ids.ts. Only the seam, the worker (worker.ts, schedules, activities and the connection settings they share) and dev/test helpers hold a client.",
      from: {
        path: "^(apps/web|packages)/",
        pathNot:
          "^packages/workflows/src/(orchestrator/|worker\\.ts$|schedules\\.ts$|activities/|connection-settings\\.ts$|testing/|.*\\.test\\.ts$)|^packages/local-services/",
      },
      to: { path: "node_modules/@temporalio/client/" },
    },
    {
      name: "pages-reach-domain-through-api",
      severity: "error",
      comment:
        "apps/web README: no domain logic in the web app. Pages and components call tRPC procedures (a server caller in server components); only the composition root (src/server) and route handlers wire domain packages. Pure data packages (catalog, motion, core, config) are shared with the browser.",
      from: { path: "^apps/web/src/(app|components|i18n)/", pathNot: `${tests}|^apps/web/src/app/api/` },
      to: {
        path: "^packages/",
        pathNot: "^packages/(api|catalog|motion|core|config)/",
        dependencyTypesNot: ["type-only"],
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(\\.next|\\.next-[a-z]+|dist|\\.turbo|\\.data|coverage)/|next-env\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.depcruise.json" },
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
      mainFields: ["module", "main", "types"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
