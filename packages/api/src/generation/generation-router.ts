import { z } from "zod";
import { AppError } from "@animateimg/core";
import {
  cancelGeneration,
  createDbAssetLookup,
  createGeneration,
  deleteGeneration,
  eventsUntilAborted,
  getGeneration,
  listGenerations,
  prepareGeneration,
  quoteGeneration,
  restoreGeneration,
  retryGeneration,
  setGenerationPrivate,
  type AttemptView,
  type GenerationEvent,
  type GenerationView,
} from "@animateimg/generations";
import { createTRPCRouter, protectedProcedure, publicProcedure, verifiedProcedure, type TRPCContext } from "../trpc";
import {
  createGenerationInput,
  generationDetailSchema,
  generationIdInput,
  generationViewSchema,
  listGenerationsInput,
  modelSummarySchema,
  quoteInput,
} from "./generation-schemas";
import { describeAttempt } from "./describe-attempt";
import { describeModels } from "./describe-models";

type Ctx = TRPCContext & { session: NonNullable<TRPCContext["session"]> };

/** Connected before anything is written: with Temporal unreachable a create stops here, storing nothing. */
async function orchestratorFor(ctx: TRPCContext) {
  return (await ctx.orchestrator.connected()).generations;
}

/** A model is offered (`models`) and accepted (`create`, `retry`) by the same rule. */
const enabledProvidersOf = (ctx: TRPCContext): ReadonlySet<string> => ctx.generations?.enabledProviders ?? new Set();

function createDeps(ctx: TRPCContext, orchestrator: Awaited<ReturnType<typeof orchestratorFor>>) {
  return { orchestrator, findOwnedAssets: createDbAssetLookup(ctx.db), enabledProviders: enabledProvidersOf(ctx) };
}

/**
 * Replaces the stored output's keys with short-lived signed URLs bound to the owner. The keys
 * come with the row already read, so a list or a live event costs no extra query.
 */
function withUrls(ctx: Ctx, view: GenerationView) {
  const { outputKeys, ...rest } = view;
  const urls = ctx.generations?.blobUrls;
  const subject = ctx.session.user.id;
  if (!outputKeys || !urls) return { ...rest, videoUrl: null, posterUrl: null, downloadUrl: null };
  return {
    ...rest,
    videoUrl: urls.urlFor({ key: outputKeys.video, subject }),
    downloadUrl: urls.urlFor({ key: outputKeys.video, subject, filename: `animateimg-${view.id.slice(0, 8)}.mp4` }),
    posterUrl: outputKeys.poster ? urls.urlFor({ key: outputKeys.poster, subject }) : null,
  };
}

const withSummary = (attempt: AttemptView) => {
  const description = describeAttempt(attempt);
  return { ...attempt, summary: description.message, description };
};

export const generationRouter = createTRPCRouter({
  /** The model picker: what each model is good at, its limits, form fields and price range. */
  models: publicProcedure
    .input(z.void())
    .output(z.array(modelSummarySchema))
    .query(({ ctx }) => describeModels(ctx.generations?.enabledProviders ?? new Set())),

  /** Price for these settings and what the caller has; validates like create does. */
  quote: protectedProcedure
    .input(quoteInput)
    .output(
      z.object({
        priceCredits: z.number().int(),
        balance: z.number().int(),
        enough: z.boolean(),
        params: z.record(z.string(), z.unknown()),
      }),
    )
    .query(({ ctx, input }) =>
      quoteGeneration(
        ctx.db,
        {
          userId: ctx.session.user.id,
          modelId: input.modelId,
          params: input.params,
          referenceVideoAssetId: input.referenceVideoAssetId ?? null,
        },
        createDbAssetLookup(ctx.db),
      ),
    ),

  create: verifiedProcedure
    .input(createGenerationInput)
    .output(generationViewSchema)
    .mutation(async ({ ctx, input }) => {
      const { generation } = await createGeneration(
        ctx.db,
        { ...input, userId: ctx.session.user.id },
        createDeps(ctx, await orchestratorFor(ctx)),
      );
      return withUrls(ctx, generation);
    }),

  /** Validates a request without creating it (the form's live check). */
  validate: protectedProcedure
    .input(createGenerationInput.omit({ idempotencyKey: true, private: true }))
    .output(z.object({ priceCredits: z.number().int() }))
    .query(async ({ ctx, input }) => {
      const prepared = await prepareGeneration({ ...input, userId: ctx.session.user.id }, createDbAssetLookup(ctx.db));
      return { priceCredits: prepared.priceCredits };
    }),

  byId: protectedProcedure
    .input(generationIdInput)
    .output(generationDetailSchema)
    .query(async ({ ctx, input }) => {
      const generation = await getGeneration(ctx.db, { userId: ctx.session.user.id, generationId: input.generationId });
      return { ...withUrls(ctx, generation), attempts: generation.attempts.map(withSummary) };
    }),

  list: protectedProcedure
    .input(listGenerationsInput)
    .output(z.object({ items: z.array(generationViewSchema), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const page = await listGenerations(ctx.db, {
        userId: ctx.session.user.id,
        limit: input.limit,
        cursor: input.cursor ?? null,
        ...(input.status ? { status: input.status } : {}),
        ...(input.modelId ? { modelId: input.modelId } : {}),
      });
      return { items: page.items.map((item) => withUrls(ctx, item)), nextCursor: page.nextCursor };
    }),

  cancel: protectedProcedure
    .input(generationIdInput)
    .output(generationViewSchema)
    .mutation(async ({ ctx, input }) =>
      withUrls(
        ctx,
        await cancelGeneration(
          ctx.db,
          { userId: ctx.session.user.id, generationId: input.generationId },
          await orchestratorFor(ctx),
        ),
      ),
    ),

  /** A new generation with the same inputs and settings. */
  retry: verifiedProcedure
    .input(generationIdInput.extend({ idempotencyKey: z.string().min(8).max(100).optional() }))
    .output(generationViewSchema)
    .mutation(async ({ ctx, input }) =>
      withUrls(
        ctx,
        await retryGeneration(
          ctx.db,
          {
            userId: ctx.session.user.id,
            generationId: input.generationId,
            ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
          },
          createDeps(ctx, await orchestratorFor(ctx)),
        ),
      ),
    ),

  /** Hidden at once; its files are removed by a workflow after the undo window. */
  delete: protectedProcedure
    .input(generationIdInput)
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteGeneration(
        ctx.db,
        { userId: ctx.session.user.id, generationId: input.generationId },
        await orchestratorFor(ctx),
      );
      return { deleted: true as const };
    }),

  /** Undo of delete, within the undo window. */
  restore: protectedProcedure
    .input(generationIdInput)
    .output(generationViewSchema)
    .mutation(async ({ ctx, input }) =>
      withUrls(ctx, await restoreGeneration(ctx.db, { userId: ctx.session.user.id, generationId: input.generationId })),
    ),

  setPrivate: protectedProcedure
    .input(generationIdInput.extend({ private: z.boolean() }))
    .output(generationViewSchema)
    .mutation(async ({ ctx, input }) =>
      withUrls(
        ctx,
        await setGenerationPrivate(ctx.db, {
          userId: ctx.session.user.id,
          generationId: input.generationId,
          private: input.private,
        }),
      ),
    ),

  /**
   * Live updates of the caller's generations (SSE). Each event is the generation as it is now;
   * `{ id, removed: true }` when it was deleted. After a reconnect the client re-reads its list.
   */
  onStatus: protectedProcedure
    .input(z.object({ generationIds: z.array(z.uuid()).max(200).optional() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const events = ctx.generations?.events;
      if (!events)
        throw new AppError(
          "SERVICE_UNAVAILABLE",
          "Live updates are not available right now; refresh to see the latest.",
          {
            reason: "live_updates_unavailable",
          },
        );
      const userId = ctx.session.user.id;
      const only = input?.generationIds ? new Set(input.generationIds) : null;
      for await (const event of eventsUntilAborted<GenerationEvent>((push) => events.subscribe(userId, push), signal)) {
        if (event.kind === "resync") {
          yield { kind: "resync" as const };
          continue;
        }
        if (only && !only.has(event.generationId)) continue;
        try {
          // One read per change for all of this user's open streams (see GenerationEvents).
          const generationId = event.generationId;
          const generation = await event.readOnce(() => getGeneration(ctx.db, { userId, generationId }));
          yield {
            kind: "update" as const,
            generation: { ...withUrls(ctx, generation), attempts: generation.attempts.map(withSummary) },
          };
        } catch (error) {
          if (error instanceof AppError && error.code === "NOT_FOUND")
            yield { kind: "removed" as const, generationId: event.generationId };
          else throw error;
        }
      }
    }),
});
