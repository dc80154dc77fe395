import type { ModelId } from "@animateimg/catalog";
import type { Db } from "@animateimg/db";
import {
  attachJobToUncertainAttempt,
  attemptNamesJob,
  closeUnseenUncertainAttempts,
  listOpenUnclaimedJobs,
  oldestOpenUncertainAttempt,
  resolveUnclaimedJob,
} from "@animateimg/generations";
import { ProviderError, type ProviderRegistry, type RemoteProviderId } from "@animateimg/providers";
import type { ReconcileUncertainJobsInput, ReconcileUncertainJobsResult } from "../shared";
import { activityLog } from "./activity-log";

export interface UncertainJobActivityDeps {
  db: Db;
  providers: ProviderRegistry;
}

export function createUncertainJobActivities(deps: UncertainJobActivityDeps) {
  const { db } = deps;
  return {
    /**
     * Settles submits whose answer was lost at providers that cannot be searched by our id
     * (recorded as uncertain, never resent). A job a provider called back about that no attempt
     * names is confirmed with the provider, recorded on the oldest open uncertain submit there,
     * and stopped (its generation moved on long ago, so it is not billed on). Uncertain submits
     * no job showed itself for within `unseenAfterMs` are closed as unseen, with a warning for
     * operators (without a public callback URL a provider cannot tell us, so check its dashboard).
     */
    async reconcileUncertainJobs(input: ReconcileUncertainJobsInput = {}): Promise<ReconcileUncertainJobsResult> {
      const unseenAfterMs = input.unseenAfterMs ?? 24 * 3600_000;
      const result: ReconcileUncertainJobsResult = { attached: [], claimed: 0, notOurs: 0, unseen: {} };
      for (const job of await listOpenUnclaimedJobs(db, { limit: input.limit ?? 100 })) {
        if (await attemptNamesJob(db, job)) {
          await resolveUnclaimedJob(db, { ...job, resolution: "claimed" });
          result.claimed += 1;
          continue;
        }
        const adapter = deps.providers.get(job.provider as RemoteProviderId);
        const attempt = await oldestOpenUncertainAttempt(db, { provider: job.provider, sentBefore: job.firstSeenAt });
        if (!adapter || !attempt) {
          // Nothing it could belong to (yet): after the same wait it is not one of ours.
          if (Date.now() - job.firstSeenAt.getTime() > unseenAfterMs) {
            await resolveUnclaimedJob(db, { ...job, resolution: "not_ours" });
            result.notOurs += 1;
          }
          continue;
        }
        const modelId = attempt.modelId as ModelId;
        let state: string;
        try {
          // An unsigned callback proves nothing: the provider must know the job.
          state = (await adapter.poll(modelId, job.providerJobId)).state;
        } catch (error) {
          if (error instanceof ProviderError && (error.kind === "invalid_input" || error.kind === "auth")) {
            await resolveUnclaimedJob(db, { ...job, resolution: "not_ours" });
            result.notOurs += 1;
          }
          continue; // unreachable now: the next pass asks again
        }
        if (!(await attachJobToUncertainAttempt(db, { attemptId: attempt.id, providerJobId: job.providerJobId })))
          continue;
        await resolveUnclaimedJob(db, { ...job, resolution: "attached", attemptId: attempt.id });
        if (state === "queued" || state === "running")
          await adapter.cancel(modelId, job.providerJobId).catch(() => undefined);
        result.attached.push({
          provider: job.provider,
          providerJobId: job.providerJobId,
          generationId: attempt.generationId,
          attemptNo: attempt.attemptNo,
        });
      }
      result.unseen = await closeUnseenUncertainAttempts(db, { sentBefore: new Date(Date.now() - unseenAfterMs) });
      for (const [provider, count] of Object.entries(result.unseen)) {
        activityLog().warn(
          `reconciler: ${count} uncertain submit(s) at ${provider} closed with no job seen in ${Math.round(unseenAfterMs / 60_000)} min; without callbacks ${provider} cannot tell us, check its dashboard for unknown jobs`,
        );
      }
      return result;
    },
  };
}
