import type { ColumnType, Generated, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type PaymentProcessorId = "stripe" | "creem";

/** What a refund or dispute could not take back (positive) and its settlement (negative). */
export interface CreditDebtsTable {
  id: Generated<number>;
  /** NULL once the account was deleted (kept for accounting, anonymous). */
  user_id: ColumnType<string | null, string, never>;
  amount: number;
  idempotency_key: string;
  payment_processor: PaymentProcessorId | null;
  payment_reference: string | null;
  /** refund | dispute (raised), settles_owed (paid off), dispute_won (cancelled); null on rows older than the column. */
  reason: "refund" | "dispute" | "settles_owed" | "dispute_won" | null;
  created_at: CreatedAt;
}

/** One customer per user and processor: only the processor's id. */
export interface PaymentCustomersTable {
  user_id: string;
  processor: PaymentProcessorId;
  customer_id: string;
  created_at: CreatedAt;
}

/** Webhook events, each stored once; the object's current state is fetched when applied. */
export interface PaymentEventsTable {
  id: Generated<number>;
  processor: PaymentProcessorId;
  event_id: string;
  type: string;
  object_id: string;
  received_at: CreatedAt;
  applied_at: Date | null;
  outcome: string | null;
  user_id: string | null;
}

export interface PaymentSubscriptionsTable {
  processor: PaymentProcessorId;
  subscription_id: string;
  user_id: string;
  plan_id: string;
  status: string;
  current_period_end: Date | null;
  cancel_at_period_end: Generated<boolean>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type PaymentEvent = Selectable<PaymentEventsTable>;
export type PaymentSubscription = Selectable<PaymentSubscriptionsTable>;

export interface PaymentTables {
  credit_debts: CreditDebtsTable;
  payment_customers: PaymentCustomersTable;
  payment_events: PaymentEventsTable;
  payment_subscriptions: PaymentSubscriptionsTable;
}
