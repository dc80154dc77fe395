/**
 * Writes policy/privacy-policy.txt into src/policy/policy-text.generated.ts. The text file is
 * the one people edit; the module exists because a bundler (Next.js) carries a string
 * constant into the server build everywhere, while a file read at run time depends on where
 * the process happens to start. A test fails when the two differ.
 */
import { readFileSync, writeFileSync } from "node:fs";

const text = readFileSync(new URL("../../policy/privacy-policy.txt", import.meta.url), "utf8");
const target = new URL("../policy/policy-text.generated.ts", import.meta.url);
writeFileSync(
  target,
  `// Generated from policy/privacy-policy.txt by \`pnpm --filter @animateimg/privacy policy:embed\`. Do not edit.\n` +
    `export const policyText = ${JSON.stringify(text)};\n`,
);
console.log(`wrote ${target.pathname} (${text.length} characters)`);
