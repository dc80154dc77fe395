import { baseConfig } from "@animateimg/eslint-config/base";

// The chaos suite is a process entry point: it reads its environment and passes it on to the
// worker processes it starts and kills.
export default [...baseConfig, { files: ["src/**/*.ts"], rules: { "no-restricted-properties": "off" } }];
