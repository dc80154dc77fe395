// Short form of `pnpm scaleout` for `npm test`: two production web processes, a workflow host,
// two render-only workers and a Kie-only worker on the run's Temporal server and Postgres, with
// an S3-compatible store; a few generations through web B, watched live on web A, one render
// worker SIGKILLed mid-burst — nothing lost, the books balance.
import { expect, inject, it } from "vitest";
import type {} from "@animateimg/db/testing";
import type {} from "@animateimg/workflows/testing";
import { runScaleOut } from "./scale-out";

it(
  "two web processes and role-split workers share one Temporal, Postgres and bucket; a killed worker loses nothing",
  { timeout: 900_000 },
  async () => {
    const report = await runScaleOut({
      postgresServerUrl: inject("postgresServerUrl"),
      temporalAddress: inject("temporalAddress"),
      bundlePath: inject("workflowBundlePath"),
      renders: 4,
      providerJobs: 2,
      log: (line) => console.log(line),
    });
    console.log(JSON.stringify(report));
    expect(report.violations).toEqual([]);
    expect(report).toMatchObject({ created: 6, succeeded: 6, failed: 0, stuck: 0, succeededOnWebA: 6 });
    expect(report.rendersInFlightAtKill).toBeGreaterThan(0);
    // Web A learned of generations created on web B while they were still under way.
    expect(report.seenLiveOnWebA).toBeGreaterThan(0);
  },
);
