// Replays saved event histories against today's workflow code. A change that would make a
// running workflow non-deterministic (reordered activities, a new timer without patched())
// fails here instead of in production. Re-record with
// `pnpm --filter @animateimg/workflows histories:record` only when a change is deliberately
// versioned.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { DefaultLogger, Runtime, Worker } from "@temporalio/worker";
import { historyFromJSON } from "@temporalio/common/lib/proto-utils";
import { dataConverterFor } from "../payload-codec";
import { testPayloadKeys } from "../testing/test-payload-keys";

const dir = path.join(import.meta.dirname, "histories");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();

describe("saved workflow histories", () => {
  it("cover the main generation outcomes, locally rendered and at providers", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "generation-succeeded.json",
        "generation-canceled.json",
        "generation-insufficient-credits.json",
        "generation-retried.json",
        // Recorded with the model and outcome search attributes (patch "search-attributes").
        "generation-searchable-succeeded.json",
        "generation-searchable-failed.json",
        // The provider path: fallback after a 5xx, a webhook's nudge, an attempt timing out, a
        // cancel passed on to the provider.
        "generation-provider-fallback-5xx.json",
        "generation-provider-webhook-nudge.json",
        "generation-provider-timeout.json",
        "generation-provider-cancel.json",
      ]),
    );
  });

  it.each(files)("%s replays deterministically", async (file) => {
    try {
      Runtime.install({ logger: new DefaultLogger("WARN") });
    } catch {
      // Installed already in this process.
    }
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), "utf8")));
    await expect(
      // Histories recorded since payloads are encrypted carry them encrypted with the test keys;
      // older ones are plain JSON, which the codec passes through.
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject("workflowBundlePath") }, ...dataConverterFor(testPayloadKeys) },
        history,
        file,
      ),
    ).resolves.toBeUndefined();
  });
});
