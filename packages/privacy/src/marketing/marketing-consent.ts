import type { MarketingConsentChannel, Executor } from "@animateimg/db";

export interface MarketingPreference {
  /** False unless the person turned it on: marketing email is opt-in. */
  optedIn: boolean;
  /** When the choice was last changed (null: never chosen, so off). */
  changedAt: Date | null;
  changedVia: MarketingConsentChannel | null;
}

export async function getMarketingPreference(db: Executor, options: { userId: string }): Promise<MarketingPreference> {
  const row = await db
    .selectFrom("marketing_email_consents")
    .select(["opted_in", "changed_at", "changed_via"])
    .where("user_id", "=", options.userId)
    .executeTakeFirst();
  return row
    ? { optedIn: row.opted_in, changedAt: row.changed_at, changedVia: row.changed_via }
    : { optedIn: false, changedAt: null, changedVia: null };
}

/**
 * Sets the choice. Setting it to what it already is changes nothing (not even the date), so
 * a repeated unsubscribe is harmless. Returns whether anything changed.
 */
export async function setMarketingOptIn(
  db: Executor,
  options: { userId: string; optIn: boolean; via: MarketingConsentChannel; now?: Date },
): Promise<{ changed: boolean }> {
  const now = options.now ?? new Date();
  const result = await db
    .insertInto("marketing_email_consents")
    .values({ user_id: options.userId, opted_in: options.optIn, changed_at: now, changed_via: options.via })
    .onConflict((oc) =>
      oc
        .column("user_id")
        .doUpdateSet({ opted_in: options.optIn, changed_at: now, changed_via: options.via })
        .where("marketing_email_consents.opted_in", "<>", options.optIn),
    )
    .returning("user_id")
    .executeTakeFirst();
  // An upsert whose WHERE refused the update returns no row: the choice was already this.
  return { changed: result !== undefined };
}
