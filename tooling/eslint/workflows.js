// Workflow code runs inside Temporal's deterministic sandbox and is replayed from history.
// Any I/O or Node built-in there is a bug (it breaks replay or the bundle), so it is refused
// at lint time. The rule only works because workflow files live in a fixed place:
// packages/workflows/src/workflows/**.
import { builtinModules } from "node:module";

const builtins = builtinModules.flatMap((m) => [m, `node:${m}`]);
const ioPackages = [
  "pg",
  "kysely",
  "@animateimg/db",
  "@animateimg/api",
  "@temporalio/client",
  "@temporalio/worker",
  "@temporalio/activity",
  "undici",
  "node-fetch",
  "axios",
  "fluent-ffmpeg",
  "sharp",
];

export const workflowIsolationRules = {
  "no-restricted-imports": [
    "error",
    {
      paths: [...builtins, ...ioPackages].map((name) => ({
        name,
        message: "Workflow code must be deterministic: no Node built-ins or I/O packages. Do this in an activity.",
      })),
      patterns: [
        { group: ["**/activities/*", "!**/activities/index"], message: "Import activities with `import type` only." },
        { group: ["@animateimg/db/*", "@animateimg/api/*"], message: "No I/O packages in workflow code." },
      ],
    },
  ],
  "no-restricted-globals": [
    "error",
    { name: "fetch", message: "No I/O in workflow code; call an activity." },
    { name: "setInterval", message: "Use workflow sleep/condition instead." },
    { name: "process", message: "No process access in workflow code." },
  ],
  "no-restricted-syntax": [
    "error",
    {
      selector: "MemberExpression[object.name='Date'][property.name='now']",
      message: "Date.now is deterministic only through workflow APIs; prefer workflowInfo() or sleep().",
    },
    {
      selector: "MemberExpression[object.name='Math'][property.name='random']",
      message: "Use uuid4() from @temporalio/workflow or pass randomness from an activity.",
    },
  ],
};

export const workflowConfig = [
  {
    files: ["**/src/workflows/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: workflowIsolationRules,
  },
];
