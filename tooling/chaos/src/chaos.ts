// `pnpm chaos` — every scenario (about 20 minutes on two cores); `pnpm chaos -- --short` the
// three that `npm test` runs; `pnpm chaos -- postgres-60s faults-kie` chosen ones.
import { startChaosEnvironment } from "./chaos-environment";
import { formatTable, runScenario, targets, type ScenarioOutcome } from "./chaos-run";
import { allScenarioIds, scenarios, shortScenarioIds } from "./chaos-scenarios";

const args = process.argv.slice(2).filter((a) => a !== "--");
const ids = args.includes("--short") ? shortScenarioIds : args.length > 0 ? args : allScenarioIds;
const unknown = ids.filter((id) => !scenarios[id]);
if (unknown.length > 0) {
  console.error(`unknown scenarios: ${unknown.join(", ")} (known: ${allScenarioIds.join(", ")})`);
  process.exit(2);
}
const log = (line: string) => console.log(line);
const env = await startChaosEnvironment({ log, timeouts: chaosTimeouts() });
const outcomes: ScenarioOutcome[] = [];
try {
  for (const id of ids) {
    const outcome = await runScenario(env, scenarios[id]!, log);
    outcomes.push(outcome);
    for (const violation of outcome.violations) log(`[${outcome.scenario}] VIOLATION ${violation}`);
  }
} finally {
  await env.close();
}
console.log(`\n${formatTable(outcomes)}\n${targets}`);
process.exit(outcomes.every((o) => o.violations.length === 0) ? 0 : 1);

function chaosTimeouts() {
  return {
    providerPollIntervalMs: 300,
    providerAttemptTimeoutMs: 60_000,
    providerRetryInitialInterval: "500 milliseconds",
    renderHeartbeatTimeout: "10 seconds",
    providerSlotWatchMs: 3000,
  };
}
