// Every class the hourly retention sweep runs, in order. To add one: write a RetentionClass
// (retention-class.ts; `rowClass` for a bounded DELETE; a class that stores blob keys also lists its columns in classes/blob-references.ts), list it here, document its setting in
// the README's Retention section. The sweep workflow picks it up; nothing else changes.
import { oldOutboxEmail, oldProviderWebhookEvents } from "./classes/delivery-record-classes";
import { appliedPaymentEvents } from "./classes/payment-events";
import { deletedGenerations } from "./classes/deleted-generations";
import { expiredDataExports } from "./classes/expired-data-exports";
import { expiredRateLimits, expiredSessions, spentEmailTokens } from "./classes/sign-in-classes";
import { unreferencedBlobs } from "./classes/unreferenced-blobs";
import type { RetentionClass } from "./retention-class";

export const retentionClasses: readonly RetentionClass[] = [
  expiredSessions,
  spentEmailTokens,
  expiredRateLimits,
  oldOutboxEmail,
  oldProviderWebhookEvents,
  appliedPaymentEvents,
  deletedGenerations,
  expiredDataExports,
  // Last: files the classes above just detached are not yet old enough, but anything an earlier
  // crash left behind is.
  unreferencedBlobs,
];

export function findRetentionClass(id: string): RetentionClass | undefined {
  return retentionClasses.find((c) => c.id === id);
}
