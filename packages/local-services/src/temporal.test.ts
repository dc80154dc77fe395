import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Connection } from "@temporalio/client";
import { msToTs } from "@temporalio/common/lib/time";
import { findTemporalCli, startTemporalDevServer } from "./temporal";

const root = path.resolve(import.meta.dirname, "../../..");
const scratch = mkdtempSync(path.join(tmpdir(), "animateimg-temporal-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("Temporal dev server", () => {
  it("refuses a TEMPORAL_CLI_PATH that does not exist, naming it", async () => {
    await expect(findTemporalCli({ cliPath: "/no/such/temporal", dataDir: scratch })).rejects.toThrow(
      "TEMPORAL_CLI_PATH points to /no/such/temporal",
    );
  });

  it("starts on SQLite in WAL mode with the search attributes asked for, keeps state across restarts, and stops cleanly", async () => {
    const cliPath = await findTemporalCli({ dataDir: process.env.ANIMATEIMG_DATA_DIR ?? path.join(root, ".data") });
    const dbFile = path.join(scratch, "state", "temporal.db");
    const first = await startTemporalDevServer({
      cliPath,
      dbFile,
      quiet: true,
      searchAttributes: { LocalServicesProbe: "Keyword" },
    });
    const connection = await Connection.connect({ address: first.address });
    await connection.workflowService.registerNamespace({
      namespace: "persisted-ns",
      workflowExecutionRetentionPeriod: msToTs("1 day"),
    });
    await connection.close();
    await first.stop();
    expect(first.process.child.exitCode !== null || first.process.child.signalCode !== null).toBe(true);

    const { existsSync } = await import("node:fs");
    expect(existsSync(dbFile)).toBe(true);

    const second = await startTemporalDevServer({ cliPath, dbFile, quiet: true });
    try {
      const again = await Connection.connect({ address: second.address });
      const described = await again.workflowService.describeNamespace({ namespace: "persisted-ns" });
      expect(described.namespaceInfo?.name).toBe("persisted-ns");
      const listed = await again.operatorService.listSearchAttributes({ namespace: "default" });
      expect(Object.keys(listed.customAttributes ?? {})).toContain("LocalServicesProbe");
      await again.close();
    } finally {
      await second.stop();
    }
  });
});
