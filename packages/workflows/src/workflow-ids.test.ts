import { describe, expect, it } from "vitest";
import {
  accountDeletionWorkflowId,
  dataExportWorkflowId,
  deleteAssetWorkflowId,
  deleteGenerationOutputsWorkflowId,
  generationWorkflowId,
  healthCheckWorkflowId,
  paymentEventWorkflowId,
  reconcileGenerationsScheduleId,
  retentionSweepScheduleId,
  webhookDeliveryWorkflowId,
} from "./workflow-ids";

// Workflows already running carry these ids: a changed format would leave signals, cancels and
// duplicate checks aimed at ids nobody holds. Changing one is a migration, not a refactor.
describe("workflow ids", () => {
  it("keep the formats running workflows were started with", () => {
    expect(healthCheckWorkflowId("n")).toBe("health-check-n");
    expect(generationWorkflowId("g")).toBe("generation-g");
    expect(deleteGenerationOutputsWorkflowId("g")).toBe("delete-generation-outputs-g");
    expect(deleteAssetWorkflowId("a")).toBe("delete-asset-a");
    expect(paymentEventWorkflowId("stripe", "evt_1")).toBe("payment-event-stripe-evt_1");
    expect(accountDeletionWorkflowId("u")).toBe("account-deletion-u");
    expect(dataExportWorkflowId("x")).toBe("data-export-x");
    expect(webhookDeliveryWorkflowId({ deliveryId: "d", eventId: "e", endpointId: "p" })).toBe("webhook:e:p");
    expect(webhookDeliveryWorkflowId({ deliveryId: "d", eventId: "e", endpointId: "p", manual: true })).toBe(
      "webhook:e:p:resend:d",
    );
    expect(reconcileGenerationsScheduleId("q")).toBe("q.reconcile-generations");
    expect(retentionSweepScheduleId("q")).toBe("q.retention-sweep");
  });
});
