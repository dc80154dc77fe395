/**
 * Every column that points at a person, and what account deletion does to it. The deletion
 * test compares this list with the live schema (every foreign key to users, every column named
 * like a user reference), so a new table that holds a user reference fails the test until it is
 * added here — and its rows are handled by erasure.
 *
 * - `erased`: the rows go (by an erasure step or by the foreign key's ON DELETE CASCADE).
 * - `anonymised`: the rows stay and the reference becomes NULL (ON DELETE SET NULL): accounting.
 */
export const userReferenceInventory = {
  "sessions.user_id": "erased",
  "email_tokens.user_id": "erased",
  "oauth_accounts.user_id": "erased",
  "assets.user_id": "erased",
  "generations.user_id": "erased",
  "credit_balances.user_id": "erased",
  "api_keys.user_id": "erased",
  "payment_customers.user_id": "erased",
  "payment_subscriptions.user_id": "erased",
  "privacy_policy_acceptances.user_id": "erased",
  "marketing_email_consents.user_id": "erased",
  "account_deletion_requests.user_id": "erased",
  // Added by the data-export and webhook work (each ON DELETE CASCADE); listed ahead so the
  // check below holds whichever lands first. Export archives' blobs: eraseExportArchives.
  "data_exports.user_id": "erased",
  "webhook_endpoints.user_id": "erased",
  "webhook_events.user_id": "erased",
  "webhook_deliveries.user_id": "erased",
  "credit_ledger.user_id": "anonymised",
  "credit_ledger.actor_user_id": "anonymised",
  "credit_debts.user_id": "anonymised",
  "payment_events.user_id": "anonymised",
  "account_deletion_requests.requested_by": "anonymised",
} as const satisfies Record<string, "erased" | "anonymised">;

/** Columns that hold a person's email address (or a key built from it) without a foreign key. */
export const emailBearingColumns = [
  "users.email",
  "email_tokens.email",
  "oauth_accounts.email",
  "email_outbox.to_address",
  "rate_limits.key",
] as const;

/**
 * What is kept after an account is deleted, and why (the README says the same in prose):
 * credit_ledger and credit_debts rows, with no user reference, for bookkeeping — amounts,
 * kinds, dates and, on money rows, the processor's payment reference, amount, currency and
 * plan; payment_events rows (processor event and object ids) so a late webhook is still
 * recognised; provider_copy_deletions (provider job ids) so an operator can follow up with a
 * provider that has no delete API.
 */
export const keptForAccounting = [
  "credit_ledger",
  "credit_debts",
  "payment_events",
  "provider_copy_deletions",
] as const;
