import { baseConfig } from "@animateimg/eslint-config/base";

// Browser tests and the budget script are entry points: they read the environment and pass
// it on to the app they start.
export default [...baseConfig, { files: ["src/**/*.ts"], rules: { "no-restricted-properties": "off" } }];
