import { baseConfig } from "@animateimg/eslint-config/base";

// Test infrastructure reads the environment (DATABASE_URL, TEMPORAL_CLI_PATH) directly.
export default [...baseConfig, { files: ["*.ts"], rules: { "no-restricted-properties": "off" } }];
