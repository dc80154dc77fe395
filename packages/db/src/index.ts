export { createDb, type CreateDbOptions, type Db } from "./client";
export { createMigrator, migrateToLatest, rollbackOne } from "./migrate";
export type { Database, NewUser, User, UserUpdate, UsersTable } from "./schema";
export { sql, type Kysely, type Transaction } from "kysely";
