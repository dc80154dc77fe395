import type { Db } from "@animateimg/db";
import type { Mailer } from "@animateimg/email";
import {
  attemptDelivery,
  finishDelivery,
  noteNextAttempt,
  recordGenerationEvent,
  type AttemptOutcome,
  type EndpointUrlPolicy,
} from "@animateimg/webhooks";
import { createOrchestrator } from "../orchestrator";
import { DEFAULT_WEBHOOK_SCHEDULE, type WebhookSchedule } from "../shared";
import type { ReconcileActivityDeps } from "./reconcile-activities";

export interface WebhookActivityDeps {
  db: Db;
  temporal?: ReconcileActivityDeps["temporal"];
  /** Outbound webhooks; absent: events are not recorded nor sent (a worker without a mailer, tests that do not use them). */
  webhooks?: {
    /** `<public origin>/api/v1`, for the download link in shared generations' events. */
    apiBaseUrl: string;
    /** Settings → Webhooks, for the email about a turned-off endpoint. */
    settingsUrl: string;
    policy: EndpointUrlPolicy;
    mailer: Mailer;
    disableAfterDays?: number;
    /** Tests shorten the retry schedule; production keeps the default (up to 3 days). */
    schedule?: WebhookSchedule;
    timeoutMs?: number;
  };
}

export function createWebhookActivities(deps: WebhookActivityDeps) {
  return {
    /**
     * A generation reached its end: record its event and start one delivery workflow per
     * subscribed endpoint. Idempotent (event id from the generation, deliveries unique per
     * endpoint, workflow ids from both), so a retry or a replayed workflow sends nothing twice.
     */
    async emitGenerationWebhooks(generationId: string): Promise<{ deliveries: number }> {
      const settings = deps.webhooks;
      if (!settings) return { deliveries: 0 };
      const { deliveries } = await recordGenerationEvent(deps.db, { generationId, apiBaseUrl: settings.apiBaseUrl });
      if (deliveries.length === 0) return { deliveries: 0 };
      if (!deps.temporal) throw new Error("emitGenerationWebhooks needs the worker's Temporal client");
      const orchestrator = createOrchestrator({ client: deps.temporal.client, taskQueue: deps.temporal.taskQueue });
      for (const delivery of deliveries) {
        await orchestrator.startWebhookDelivery({ delivery, manual: false });
      }
      return { deliveries: deliveries.length };
    },

    /** One HTTP attempt; the schedule rides along so the workflow's waits come from this worker's settings. */
    async attemptWebhookDelivery(input: {
      deliveryId: string;
      attemptNo: number;
    }): Promise<AttemptOutcome & { schedule: WebhookSchedule }> {
      const settings = deps.webhooks;
      if (!settings) throw new Error("This worker has no webhook settings");
      const result = await attemptDelivery(deps.db, input, {
        policy: settings.policy,
        mailer: settings.mailer,
        settingsUrl: settings.settingsUrl,
        ...(settings.disableAfterDays !== undefined ? { disableAfterDays: settings.disableAfterDays } : {}),
        ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
      });
      return { ...result, schedule: settings.schedule ?? DEFAULT_WEBHOOK_SCHEDULE };
    },

    async finishWebhookDelivery(deliveryId: string): Promise<void> {
      await finishDelivery(deps.db, deliveryId, "failed");
    },

    async noteWebhookNextAttempt(input: { deliveryId: string; inMs: number }): Promise<void> {
      await noteNextAttempt(deps.db, input.deliveryId, new Date(Date.now() + input.inMs));
    },
  };
}
