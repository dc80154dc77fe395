// Payment webhook events, once applied. The accounting record is the ledger row (processor
// reference, amount, currency, plan); the stored event only served to apply it once. A processor
// redelivers for at most 30 days (Stripe), and a redelivery after removal is harmless: it is
// applied from the object's current state under the ledger's idempotency keys.
import { rowClass } from "../retention-class";
import { ago } from "../retention-settings";

/** Outcomes an administrator still has to look at (listPaymentEventsNeedingAttention): never removed. */
const needsAttention = ["unknown_customer", "unknown_offer", "unknown_payment"];

export const appliedPaymentEvents = rowClass(
  "payment-events",
  "Payment webhook events applied more than RETENTION_PAYMENT_EVENTS_DAYS ago (not those awaiting an administrator)",
  async ({ db, now, settings }, limit) => {
    const due = db
      .selectFrom("payment_events")
      .select("id")
      .where("applied_at", "<", ago.days(now, settings.paymentEventsDays))
      .where("outcome", "is not", null)
      .where("outcome", "not in", needsAttention)
      .limit(limit);
    const result = await db.deleteFrom("payment_events").where("id", "in", due).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
);
