import { AppError } from "@animateimg/core";
import type { DataExportRow, DataExportStatus, Executor } from "@animateimg/db";

// Every query on data_exports. Reads for a person are scoped to them in SQL; the workflow's
// writes go by export id (the workflow was started for that row only).

export interface DataExportView {
  id: string;
  /** `expired` once the download window has passed, even before the sweep removed the archive. */
  status: DataExportStatus;
  progress: number;
  sizeBytes: number | null;
  createdAt: Date;
  finishedAt: Date | null;
  expiresAt: Date | null;
  /** A code the web app turns into words (build_failed). */
  errorCode: string | null;
}

export function toDataExportView(row: DataExportRow, now: Date = new Date()): DataExportView {
  const expired =
    row.status === "expired" || (row.status === "ready" && row.expires_at !== null && row.expires_at <= now);
  return {
    id: row.id,
    status: expired ? "expired" : row.status,
    progress: row.progress,
    sizeBytes: row.size_bytes,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    expiresAt: row.expires_at,
    errorCode: row.error_code,
  };
}

/**
 * Records a new export for the person. One at a time: while one is queued or running, a second
 * request is refused (a partial unique index decides, so two tabs cannot race past a check).
 */
export async function requestDataExport(db: Executor, options: { userId: string }): Promise<DataExportView> {
  try {
    const row = await db
      .insertInto("data_exports")
      .values({ user_id: options.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toDataExportView(row);
  } catch (error) {
    if (isInFlightConflict(error)) {
      throw new AppError(
        "CONFLICT",
        "An export of your data is already being prepared. You will get an email when it is ready.",
        { reason: "export_in_progress", cause: error },
      );
    }
    throw error;
  }
}

/** The person's most recent export, if any. */
export async function getLatestDataExport(
  db: Executor,
  options: { userId: string; now?: Date },
): Promise<DataExportView | null> {
  const row = await db
    .selectFrom("data_exports")
    .selectAll()
    .where("user_id", "=", options.userId)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? toDataExportView(row, options.now) : null;
}

/** One export of the person's, or null (another person's id is simply not found). */
export async function getOwnDataExport(
  db: Executor,
  options: { userId: string; exportId: string; now?: Date },
): Promise<(DataExportView & { blobKey: string | null; userId: string }) | null> {
  if (!isUuid(options.exportId)) return null;
  const row = await db
    .selectFrom("data_exports")
    .selectAll()
    .where("id", "=", options.exportId)
    .where("user_id", "=", options.userId)
    .executeTakeFirst();
  return row
    ? { ...toDataExportView(row, options.now), blobKey: row.blob_deleted_at ? null : row.blob_key, userId: row.user_id }
    : null;
}

/** For the workflow: whose export this is and where it stands. */
export async function getDataExportForBuild(db: Executor, exportId: string) {
  return db
    .selectFrom("data_exports")
    .innerJoin("users", "users.id", "data_exports.user_id")
    .select([
      "data_exports.id",
      "data_exports.user_id",
      "data_exports.status",
      "data_exports.blob_key",
      "data_exports.size_bytes",
      "data_exports.created_at",
      "data_exports.expires_at",
      "users.email",
      "users.name",
      "users.locale",
    ])
    .where("data_exports.id", "=", exportId)
    .executeTakeFirst();
}

export async function markDataExportRunning(db: Executor, options: { exportId: string; now?: Date }): Promise<void> {
  await db
    .updateTable("data_exports")
    .set({ status: "running", started_at: options.now ?? new Date(), progress: 0 })
    .where("id", "=", options.exportId)
    .where("status", "in", ["queued", "running"])
    .execute();
}

/** Progress only moves forward (a retried build restarts its archive, not the bar). */
export async function recordDataExportProgress(
  db: Executor,
  options: { exportId: string; progress: number },
): Promise<void> {
  const progress = Math.max(0, Math.min(99, Math.floor(options.progress)));
  await db
    .updateTable("data_exports")
    .set((eb) => ({ progress: eb.fn("greatest", [eb.ref("progress"), eb.val(progress)]) }))
    .where("id", "=", options.exportId)
    .where("status", "=", "running")
    .execute();
}

export async function markDataExportReady(
  db: Executor,
  options: {
    exportId: string;
    blobKey: string;
    storageDriver: string;
    sizeBytes: number;
    finishedAt: Date;
    expiresAt: Date;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("data_exports")
    .set({
      status: "ready",
      progress: 100,
      blob_key: options.blobKey,
      storage_driver: options.storageDriver,
      size_bytes: options.sizeBytes,
      finished_at: options.finishedAt,
      expires_at: options.expiresAt,
      error_code: null,
    })
    .where("id", "=", options.exportId)
    .where("status", "in", ["queued", "running"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markDataExportFailed(
  db: Executor,
  options: { exportId: string; errorCode: string; now?: Date },
): Promise<void> {
  await db
    .updateTable("data_exports")
    .set({ status: "failed", error_code: options.errorCode, finished_at: options.now ?? new Date() })
    .where("id", "=", options.exportId)
    .where("status", "in", ["queued", "running"])
    .execute();
}

/** Finished archives whose download window has passed and whose blob is still stored (for the retention sweep). */
export async function listExpiredDataExports(
  db: Executor,
  options: { now?: Date; limit?: number } = {},
): Promise<Array<{ id: string; blobKey: string }>> {
  const rows = await db
    .selectFrom("data_exports")
    .select(["id", "blob_key"])
    .where("expires_at", "<=", options.now ?? new Date())
    .where("blob_key", "is not", null)
    .where("blob_deleted_at", "is", null)
    .orderBy("expires_at")
    .limit(options.limit ?? 100)
    .execute();
  return rows.map((row) => ({ id: row.id, blobKey: row.blob_key! }));
}

/** After the sweep deleted the archive's blob: the row stays (history in Settings) as expired. */
export async function markDataExportBlobDeleted(
  db: Executor,
  options: { exportId: string; now?: Date },
): Promise<void> {
  await db
    .updateTable("data_exports")
    .set({ status: "expired", blob_deleted_at: options.now ?? new Date() })
    .where("id", "=", options.exportId)
    .execute();
}

function isInFlightConflict(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    error.code === "23505" &&
    "constraint" in error &&
    error.constraint === "data_exports_one_in_flight_idx"
  );
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
