import { builtinModules } from "node:module";
import { baseConfig } from "@animateimg/eslint-config/base";

// The browser bundles this package (the workspace's live preview): no Node built-ins, no
// packages, no globals of a particular runtime.
const builtins = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default [
  ...baseConfig,
  {
    files: ["src/**/*.ts"],
    ignores: ["src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: builtins.map((name) => ({
            name,
            message: "The motion maths runs in the browser too: no Node built-ins.",
          })),
          patterns: [{ group: ["@animateimg/*", "zod"], message: "The motion maths depends on nothing." }],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "The motion maths runs in the browser too." },
        { name: "Buffer", message: "The motion maths runs in the browser too." },
        { name: "document", message: "Take what you draw on as an argument." },
        { name: "window", message: "Take what you draw on as an argument." },
      ],
    },
  },
];
