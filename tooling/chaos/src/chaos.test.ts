// The chaos suite's short form, part of `npm test`: Postgres cut for 10 s under a mixed load,
// every fault class on one provider family, and cancels at random moments — each followed by
// the full audit. `pnpm chaos` runs every scenario.
import { afterAll, beforeAll, expect, it } from "vitest";
import { inject } from "vitest";
import type {} from "@animateimg/db/testing";
import type {} from "@animateimg/workflows/testing";
import { startChaosEnvironment, type ChaosEnvironment } from "./chaos-environment";
import { formatTable, runScenario, targets, type ScenarioOutcome } from "./chaos-run";
import { scenarios, shortScenarioIds } from "./chaos-scenarios";

let env: ChaosEnvironment;
const outcomes: ScenarioOutcome[] = [];

beforeAll(async () => {
  env = await startChaosEnvironment({
    log: () => {},
    temporalAddress: inject("temporalAddress"),
    bundlePath: inject("workflowBundlePath"),
    postgresServerUrl: inject("postgresServerUrl"),
    timeouts: {
      providerPollIntervalMs: 300,
      providerAttemptTimeoutMs: 60_000,
      providerRetryInitialInterval: "500 milliseconds",
      renderHeartbeatTimeout: "10 seconds",
      providerSlotWatchMs: 3000,
    },
  });
});
afterAll(async () => {
  if (outcomes.length > 0) console.log(`${formatTable(outcomes)}\n${targets}`);
  await env?.close();
});

for (const id of shortScenarioIds) {
  it(
    `chaos: ${scenarios[id]!.name} — every generation ends, books balance, nothing untracked or orphaned`,
    { timeout: 300_000 },
    async () => {
      const outcome = await runScenario(env, scenarios[id]!, () => {});
      outcomes.push(outcome);
      expect(outcome.violations).toEqual([]);
      expect(outcome).toMatchObject({ stuck: 0, failedByInfrastructure: 0, untrackedProviderJobs: 0, orphanBlobs: 0 });
      expect(outcome.started).toBeGreaterThan(0);
    },
  );
}
