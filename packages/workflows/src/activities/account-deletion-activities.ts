import { Context } from "@temporalio/activity";
import { ApplicationFailure } from "@temporalio/common";
import {
  beginAccountErasure,
  eraseAccountRecord,
  eraseAssetBatch,
  eraseExportArchives,
  eraseGenerationBatch,
  listActiveGenerationIds,
  settleProviderCopies,
  type ProviderCopyRemover,
} from "@animateimg/account-deletion";
import type { Db, ProviderCopyOutcome } from "@animateimg/db";
import { cancelSubscriptionsForUser, hasLiveSubscriptions } from "@animateimg/payments";
import { modelIds } from "@animateimg/catalog";
import { ProviderError, type ProviderRegistry, type RemoteProviderId } from "@animateimg/providers";
import type { BlobStore } from "@animateimg/storage";
import type { PaymentActivityDeps } from "./payment-activities";

export interface AccountDeletionActivityDeps extends Pick<PaymentActivityDeps, "payments"> {
  db: Db;
  blobStore: BlobStore;
  providers: ProviderRegistry;
  /** Rows per erasure batch (tests make it small to prove batching). Default 50. */
  erasureBatchSize?: number;
}

export function createAccountDeletionActivities(deps: AccountDeletionActivityDeps) {
  const batchSize = deps.erasureBatchSize;
  return {
    /** The database's word on the request: canceled, still waiting (and for how long), or erasing now. */
    async beginAccountErasure(input: {
      userId: string;
    }): Promise<{ state: "canceled" } | { state: "waiting"; waitMs: number } | { state: "erasing" }> {
      const now = new Date();
      const result = await beginAccountErasure(deps.db, { userId: input.userId, now });
      return result.state === "waiting"
        ? { state: "waiting", waitMs: result.eraseAfter.getTime() - now.getTime() }
        : result;
    },
    async listActiveGenerationIds(input: { userId: string }): Promise<string[]> {
      return listActiveGenerationIds(deps.db, input);
    },
    /**
     * Ends a live subscription at the processor before the account goes. A worker without the
     * processor's configuration cannot, so it fails retryably and a configured one takes over.
     */
    async cancelAccountSubscriptions(input: { userId: string }): Promise<{ canceled: number }> {
      if (!deps.payments) {
        if (await hasLiveSubscriptions(deps.db, input)) {
          throw ApplicationFailure.retryable(
            "This worker has no payment processor configuration",
            "payments_not_configured",
          );
        }
        return { canceled: 0 };
      }
      return cancelSubscriptionsForUser(deps.db, { processor: deps.payments.processor }, input);
    },
    async settleProviderCopies(input: {
      userId: string;
    }): Promise<{ settled: Record<ProviderCopyOutcome, number>; done: boolean }> {
      // A provider failing for a long time must not hold the deletion forever: after this many
      // tries (about 17 minutes of backoff) what still fails is recorded as failed.
      const lastTry = Context.current().info.attempt >= PROVIDER_COPY_TRIES;
      const result = await settleProviderCopies(
        deps.db,
        { remover: providerCopyRemover(deps.providers, { lastTry }) },
        { userId: input.userId, ...(batchSize ? { batchSize } : {}) },
      );
      const settled: Record<ProviderCopyOutcome, number> = { deleted: 0, not_supported: 0, failed: 0 };
      for (const copy of result.settled) settled[copy.outcome] += 1;
      return { settled, done: result.done };
    },
    async eraseGenerationBatch(input: { userId: string }) {
      return eraseGenerationBatch(
        deps.db,
        { store: deps.blobStore },
        { userId: input.userId, ...(batchSize ? { batchSize } : {}) },
      );
    },
    async eraseAssetBatch(input: { userId: string }) {
      return eraseAssetBatch(
        deps.db,
        { store: deps.blobStore },
        { userId: input.userId, ...(batchSize ? { batchSize } : {}) },
      );
    },
    async eraseExportArchives(input: { userId: string }) {
      return eraseExportArchives(deps.db, { store: deps.blobStore }, input);
    },
    async eraseAccountRecord(input: { userId: string }) {
      return eraseAccountRecord(deps.db, input);
    },
  };
}

const PROVIDER_COPY_TRIES = 10;

/**
 * Provider-side copies: removed through the adapter where the provider's API can delete a
 * job's data (fal); otherwise recorded as not supported. A provider no longer configured here is
 * recorded too (nothing can be asked of it). A refusal that a retry cannot change (the key lacks
 * the scope, the provider rejects the request) is recorded as failed with its code, for an
 * operator to follow up; a transient one is retried, and recorded as failed on the last try.
 */
function providerCopyRemover(providers: ProviderRegistry, options: { lastTry: boolean }): ProviderCopyRemover {
  return {
    async remove(copy) {
      const adapter = providers.get(copy.provider as RemoteProviderId);
      if (!adapter) return { outcome: "not_supported", detail: "provider_not_configured" };
      const modelId = modelIds.find((id) => id === copy.modelId);
      if (!adapter.deleteJobData || !modelId) return { outcome: "not_supported", detail: "no_delete_api" };
      try {
        const result = await adapter.deleteJobData(modelId, copy.providerJobId);
        return { outcome: "deleted", detail: result === "not_found" ? "not_found" : null };
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        const retryable = error.kind === "transient" || error.kind === "rate_limited" || error.kind === "unknown";
        if (retryable && !options.lastTry) throw error;
        return { outcome: "failed", detail: error.httpStatus ? `http_${error.httpStatus}` : error.kind };
      }
    },
  };
}
