import type { Linter } from "eslint";

export declare const workflowIsolationRules: Linter.RulesRecord;
export declare const workflowConfig: Linter.Config[];
