import { baseConfig } from "@animateimg/eslint-config/base";

export default baseConfig;
