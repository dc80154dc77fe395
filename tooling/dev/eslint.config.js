import { baseConfig } from "@animateimg/eslint-config/base";

// The dev and test commands are process entry points: they read the environment and
// pass it on to the processes they start.
export default [...baseConfig, { files: ["src/**/*.ts"], rules: { "no-restricted-properties": "off" } }];
