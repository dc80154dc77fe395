import type { Db, PaymentProcessorId, Executor } from "@animateimg/db";
import type { PaymentProcessor } from "./processor";

export async function findCustomerId(
  db: Executor,
  options: { processor: PaymentProcessorId; userId: string },
): Promise<string | undefined> {
  const row = await db
    .selectFrom("payment_customers")
    .select("customer_id")
    .where("processor", "=", options.processor)
    .where("user_id", "=", options.userId)
    .executeTakeFirst();
  return row?.customer_id;
}

export async function findUserIdByCustomer(
  db: Executor,
  options: { processor: PaymentProcessorId; customerId: string },
): Promise<string | undefined> {
  const row = await db
    .selectFrom("payment_customers")
    .select("user_id")
    .where("processor", "=", options.processor)
    .where("customer_id", "=", options.customerId)
    .executeTakeFirst();
  return row?.user_id;
}

/** One customer per user and processor, created on first checkout; only its id is stored. */
export async function ensurePaymentCustomer(
  db: Db,
  processor: PaymentProcessor,
  options: { userId: string; email: string },
): Promise<string> {
  const existing = await findCustomerId(db, { processor: processor.id, userId: options.userId });
  if (existing) return existing;
  const customerId = await processor.createCustomer(options);
  await db
    .insertInto("payment_customers")
    .values({ user_id: options.userId, processor: processor.id, customer_id: customerId })
    .onConflict((oc) => oc.columns(["user_id", "processor"]).doNothing())
    .execute();
  // A concurrent first checkout may have stored another one: everyone uses the stored one.
  return (await findCustomerId(db, { processor: processor.id, userId: options.userId })) ?? customerId;
}
