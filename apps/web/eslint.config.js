import { baseConfig } from "@animateimg/eslint-config/base";
import { reactConfig } from "@animateimg/eslint-config/react";

export default [...baseConfig, ...reactConfig];
