import { baseConfig } from "@animateimg/eslint-config/base";

export default [
  ...baseConfig,
  // This package is about the machine itself (PATH, USER): reading them here is its job.
  { files: ["src/**/*.ts"], rules: { "no-restricted-properties": "off" } },
];
