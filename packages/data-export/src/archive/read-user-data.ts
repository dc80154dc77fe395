import type { Executor } from "@animateimg/db";

// Read-only queries for the archive. Every one is scoped to the owner in SQL (`user_id = $1`,
// or a join through the owner's generations), so nothing of another person can reach an
// archive whatever the caller passes. Large lists are read in keyset pages: an account with
// years of history is never loaded whole. Pages follow the primary key, not created_at: a
// JavaScript Date keeps milliseconds while Postgres keeps microseconds, so a cursor on the
// timestamp would read rows of the same millisecond again, forever.

const PAGE = 200;

export async function readAccount(db: Executor, userId: string) {
  const user = await db
    .selectFrom("users")
    .select([
      "id",
      "email",
      "name",
      "role",
      "email_verified_at",
      "avatar_url",
      "age_confirmed_at",
      "created_at",
      "updated_at",
    ])
    .select((eb) => eb(eb.ref("password_hash"), "is not", null).as("has_password"))
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) return null;
  const [oauth, acceptances, consent, balance] = await Promise.all([
    db
      .selectFrom("oauth_accounts")
      .select(["provider", "email", "created_at"])
      .where("user_id", "=", userId)
      .orderBy("provider")
      .execute(),
    db
      .selectFrom("privacy_policy_acceptances")
      .select(["policy_version", "accepted_at", "source"])
      .where("user_id", "=", userId)
      .orderBy("accepted_at")
      .execute(),
    db
      .selectFrom("marketing_email_consents")
      .select(["opted_in", "changed_at", "changed_via"])
      .where("user_id", "=", userId)
      .executeTakeFirst(),
    db.selectFrom("credit_balances").select(["available", "owed"]).where("user_id", "=", userId).executeTakeFirst(),
  ]);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    emailVerifiedAt: user.email_verified_at,
    avatarUrl: user.avatar_url,
    ageConfirmedAt: user.age_confirmed_at,
    hasPassword: Boolean(user.has_password),
    createdAt: user.created_at,
    updatedAt: user.updated_at,
    linkedSignIns: oauth.map((row) => ({ provider: row.provider, email: row.email, linkedAt: row.created_at })),
    privacyPolicyAcceptances: acceptances.map((row) => ({
      version: row.policy_version,
      acceptedAt: row.accepted_at,
      source: row.source,
    })),
    marketingEmail: consent
      ? { optedIn: consent.opted_in, changedAt: consent.changed_at, changedVia: consent.changed_via }
      : { optedIn: false, changedAt: null, changedVia: null },
    credits: { available: balance?.available ?? 0, owed: balance?.owed ?? 0 },
  };
}

/** Sessions without their secret hashes (a hash is a credential, not the person's data). */
export async function readSessions(db: Executor, userId: string) {
  const rows = await db
    .selectFrom("sessions")
    .select(["created_at", "last_seen_at", "expires_at", "absolute_expires_at", "user_agent", "ip"])
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .execute();
  return rows.map((row) => ({
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
    userAgent: row.user_agent,
    ip: row.ip,
  }));
}

export interface ArchiveFile {
  /** Path inside the archive. */
  path: string;
  blobKey: string;
  /** Size recorded when it was stored (for progress; the bytes written are counted again). */
  bytes: number;
  contentType: string;
  kind: "upload" | "output_video";
  /** The asset or generation it belongs to. */
  ownerId: string;
}

/** The person's uploads whose bytes we still hold, a page at a time. */
export async function* readUploadFiles(db: Executor, userId: string): AsyncGenerator<ArchiveFile[]> {
  let afterId: string | null = null;
  for (;;) {
    let query = db
      .selectFrom("assets")
      .select(["id", "original_name", "mime", "bytes", "original_key"])
      .where("user_id", "=", userId)
      .where("blobs_deleted_at", "is", null)
      .orderBy("id")
      .limit(PAGE);
    if (afterId) query = query.where("id", ">", afterId);
    const rows = await query.execute();
    if (rows.length === 0) return;
    yield rows.map((row) => ({
      path: uploadPath(row.id, row.original_name, row.mime),
      blobKey: row.original_key,
      bytes: row.bytes,
      contentType: row.mime,
      kind: "upload" as const,
      ownerId: row.id,
    }));
    afterId = rows[rows.length - 1]!.id;
  }
}

/** Every generation of the person (deleted ones still held included), with its attempt log, a page at a time. */
export async function* readGenerations(db: Executor, userId: string) {
  let afterId: string | null = null;
  for (;;) {
    let query = db.selectFrom("generations").selectAll().where("user_id", "=", userId).orderBy("id").limit(PAGE);
    if (afterId) query = query.where("id", ">", afterId);
    const rows = await query.execute();
    if (rows.length === 0) return;
    const attempts = await db
      .selectFrom("generation_attempts")
      .innerJoin("generations", "generations.id", "generation_attempts.generation_id")
      .select([
        "generation_attempts.generation_id",
        "generation_attempts.attempt_no",
        "generation_attempts.provider",
        "generation_attempts.provider_job_id",
        "generation_attempts.outcome",
        "generation_attempts.error_kind",
        "generation_attempts.error_message",
        "generation_attempts.started_at",
        "generation_attempts.finished_at",
        "generation_attempts.latency_ms",
      ])
      .where("generations.user_id", "=", userId)
      .where(
        "generation_attempts.generation_id",
        "in",
        rows.map((row) => row.id),
      )
      .orderBy("generation_attempts.generation_id")
      .orderBy("generation_attempts.attempt_no")
      .execute();
    const byGeneration = new Map<string, typeof attempts>();
    for (const attempt of attempts) {
      const list = byGeneration.get(attempt.generation_id) ?? [];
      list.push(attempt);
      byGeneration.set(attempt.generation_id, list);
    }
    yield rows.map((row) => ({
      record: {
        id: row.id,
        model: row.model_id,
        prompt: row.prompt,
        parameters: row.params,
        status: row.status,
        progress: row.progress,
        statusMessage: row.status_message,
        failureReason: row.failure_reason,
        private: row.private,
        priceCredits: row.price_credits,
        imageAssetId: row.image_asset_id,
        endFrameAssetId: row.end_frame_asset_id,
        referenceVideoAssetId: row.reference_video_asset_id,
        retryOf: row.retry_of,
        createdAt: row.created_at,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        deletedAt: row.deleted_at,
        output: row.output_video_key
          ? {
              file: outputPath(row.id),
              durationMs: row.output_duration_ms,
              width: row.output_width,
              height: row.output_height,
              bytes: row.output_bytes,
              sha256: row.output_sha256,
            }
          : null,
        attempts: (byGeneration.get(row.id) ?? []).map((attempt) => ({
          attemptNo: attempt.attempt_no,
          provider: attempt.provider,
          providerJobId: attempt.provider_job_id,
          outcome: attempt.outcome,
          errorKind: attempt.error_kind,
          errorMessage: attempt.error_message,
          startedAt: attempt.started_at,
          finishedAt: attempt.finished_at,
          latencyMs: attempt.latency_ms,
        })),
      },
      outputFile: row.output_video_key
        ? ({
            path: outputPath(row.id),
            blobKey: row.output_video_key,
            bytes: row.output_bytes ?? 0,
            contentType: "video/mp4",
            kind: "output_video",
            ownerId: row.id,
          } satisfies ArchiveFile)
        : null,
    }));
    afterId = rows[rows.length - 1]!.id;
  }
}

/** The credit ledger, oldest first, a page at a time. */
export async function* readLedger(db: Executor, userId: string) {
  let afterId = 0;
  for (;;) {
    const rows = await db
      .selectFrom("credit_ledger")
      .select([
        "id",
        "kind",
        "amount",
        "generation_id",
        "reason",
        "payment_processor",
        "payment_reference",
        "payment_amount",
        "payment_currency",
        "payment_plan",
        "created_at",
      ])
      .where("user_id", "=", userId)
      .where("id", ">", afterId)
      .orderBy("id")
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return;
    yield rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      amount: row.amount,
      generationId: row.generation_id,
      reason: row.reason,
      payment: row.payment_processor
        ? {
            processor: row.payment_processor,
            reference: row.payment_reference,
            amountMinor: row.payment_amount,
            currency: row.payment_currency,
            plan: row.payment_plan,
          }
        : null,
      createdAt: row.created_at,
    }));
    afterId = rows[rows.length - 1]!.id;
  }
}

/** What the archive will hold, for progress: file bytes plus one unit per record. */
export async function measureArchive(db: Executor, userId: string): Promise<{ fileBytes: number; records: number }> {
  const [uploads, outputs, ledger] = await Promise.all([
    db
      .selectFrom("assets")
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>("bytes"), eb.lit(0)).as("bytes")])
      .where("user_id", "=", userId)
      .where("blobs_deleted_at", "is", null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("generations")
      .select((eb) => [
        eb.fn.coalesce(eb.fn.sum<number>("output_bytes"), eb.lit(0)).as("bytes"),
        eb.fn.countAll<number>().as("count"),
      ])
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("credit_ledger")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    fileBytes: Number(uploads.bytes) + Number(outputs.bytes),
    records: Number(outputs.count) + Number(ledger.count),
  };
}

function uploadPath(assetId: string, originalName: string, mime: string): string {
  const extension =
    /\.([A-Za-z0-9]{1,8})$/.exec(originalName)?.[1] ?? mime.split("/")[1]?.replace(/[^a-z0-9]/g, "") ?? "bin";
  const stem = originalName
    .replace(/\.[A-Za-z0-9]{1,8}$/, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._]+/, "")
    .slice(0, 60);
  return `uploads/${assetId}${stem ? `-${stem}` : ""}.${extension.toLowerCase()}`;
}

function outputPath(generationId: string): string {
  return `videos/${generationId}.mp4`;
}
