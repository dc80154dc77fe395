import type { Database, Db, Transaction } from "@animateimg/db";

/** Every function here takes the pool or a transaction, so a caller can share one. */
export type DbOrTrx = Db | Transaction<Database>;
