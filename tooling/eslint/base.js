// Shared lint rules for every package. Type-aware, strict about imports, and strict about
// where configuration comes from: only an app's env module may read process.env, so every
// package gets its settings through a factory and can be tested alone.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export const baseConfig = tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/.next/**",
      "**/.next-*/**",
      "**/.turbo/**",
      "**/node_modules/**",
      "**/*.config.*",
      "**/next-env.d.ts",
    ],
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { prefer: "type-imports", fixStyle: "separate-type-imports" },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // @temporalio/proto is CommonJS whose names Node's ESM loader cannot see: a named value
      // import passes under vitest and crashes under tsx/Node (it once broke `pnpm scaleout`).
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@temporalio/proto",
              importNames: ["temporal", "coresdk", "google", "grpc"],
              allowTypeImports: true,
              message:
                '@temporalio/proto is CommonJS: `import proto from "@temporalio/proto"` and read proto.temporal (named imports fail under Node ESM).',
            },
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read configuration in the app's env module and pass it in through a factory.",
        },
      ],
    },
  },
  {
    // Entry points and test infrastructure are where the environment is read.
    files: ["**/env.ts", "**/*.test.ts", "**/testing/**", "**/scripts/**", "**/vitest.*.ts", "scripts/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
