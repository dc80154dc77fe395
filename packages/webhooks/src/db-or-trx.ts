import type { Db, Transaction, Database } from "@animateimg/db";

/** Every function here takes the pool or a transaction, so a caller can share one. */
export type DbOrTrx = Db | Transaction<Database>;
