import { createHash } from "node:crypto";
import type { WebhookEventType } from "@animateimg/db";

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  "generation.succeeded",
  "generation.failed",
  "generation.canceled",
];

/** The generation as an event shows it. */
export interface GenerationEventFacts {
  id: string;
  status: "succeeded" | "failed" | "canceled";
  private: boolean;
  modelId: string;
  prompt: string;
  failureReason: string | null;
  priceCredits: number;
  output: { durationMs: number; width: number; height: number; bytes: number } | null;
  createdAt: Date;
  finishedAt: Date | null;
  apiKeyId: string | null;
}

/**
 * The message id of a generation's event: derived from (generation, type), so emitting the
 * same event twice (a retried activity, a replayed workflow) names the same message.
 */
export function generationEventId(generationId: string, type: WebhookEventType): string {
  return `msg_${createHash("sha256").update(`${generationId}:${type}`).digest("base64url").slice(0, 27)}`;
}

export function eventTypeForStatus(status: GenerationEventFacts["status"]): WebhookEventType {
  return `generation.${status}`;
}

/**
 * The JSON body of a generation event. A private generation sends its ids and status only:
 * no prompt, no output, no URL. A shared one adds what it is and where the API serves its video
 * (`downloadUrl` still needs an API key: no event ever carries a URL that works without one).
 */
export function generationEventPayload(
  facts: GenerationEventFacts,
  options: { type: WebhookEventType; at: Date; apiBaseUrl: string },
) {
  const base = {
    id: facts.id,
    object: "generation" as const,
    status: facts.status,
    private: facts.private,
    apiKeyId: facts.apiKeyId,
    finishedAt: facts.finishedAt?.toISOString() ?? null,
  };
  const data = facts.private
    ? base
    : {
        ...base,
        modelId: facts.modelId,
        prompt: facts.prompt,
        failureReason: facts.failureReason,
        priceCredits: facts.priceCredits,
        output: facts.output,
        createdAt: facts.createdAt.toISOString(),
        downloadUrl:
          facts.status === "succeeded" && facts.output
            ? `${options.apiBaseUrl}/generations/${facts.id}/download`
            : null,
      };
  return { type: options.type, timestamp: options.at.toISOString(), data };
}
