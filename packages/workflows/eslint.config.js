import { baseConfig } from "@animateimg/eslint-config/base";
import { workflowConfig } from "@animateimg/eslint-config/workflows";

export default [...baseConfig, ...workflowConfig];
