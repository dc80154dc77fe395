import { z } from "zod";
import { acknowledgePolicy, getMarketingPreference, getPolicyStatus, setMarketingOptIn } from "@animateimg/privacy";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";
import { resolvePrivacyDependencies } from "./privacy-dependencies";

const changeNotes = z.object({ en: z.array(z.string()).readonly(), es: z.array(z.string()).readonly() });
const policyVersion = z.object({ version: z.string(), effectiveDate: z.string(), changes: changeNotes });

export const privacyRouter = createTRPCRouter({
  /** The policy in force: version, effective date, contact and every version's change notes. */
  policy: publicProcedure
    .input(z.void())
    .output(
      z.object({ version: z.string(), effectiveDate: z.string(), contactEmail: z.string(), history: z.array(policyVersion) }),
    )
    .query(({ ctx }) => {
      const { policy, contactEmail } = resolvePrivacyDependencies(ctx);
      return { version: policy.version, effectiveDate: policy.effectiveDate, contactEmail, history: [...policy.history] };
    }),

  /** What the signed-in person accepted, whether the notice must show, and their marketing choice. */
  status: protectedProcedure
    .input(z.void())
    .output(
      z.object({
        currentVersion: z.string(),
        effectiveDate: z.string(),
        accepted: z.object({ version: z.string(), acceptedAt: z.date() }).nullable(),
        needsAcknowledgement: z.boolean(),
        changes: z.array(policyVersion),
        marketingOptIn: z.boolean(),
      }),
    )
    .query(async ({ ctx }) => {
      const { policy } = resolvePrivacyDependencies(ctx);
      const userId = ctx.session.user.id;
      const [status, marketing] = await Promise.all([
        getPolicyStatus(ctx.db, { userId, policy }),
        getMarketingPreference(ctx.db, { userId }),
      ]);
      return { ...status, marketingOptIn: marketing.optedIn };
    }),

  /** "I have read the new policy": records the version shown, if it is still the current one. */
  acknowledge: protectedProcedure
    .input(z.object({ version: z.string().max(64) }))
    .output(z.object({ version: z.string(), acceptedAt: z.date() }))
    .mutation(({ ctx, input }) =>
      acknowledgePolicy(ctx.db, {
        userId: ctx.session.user.id,
        policy: resolvePrivacyDependencies(ctx).policy,
        version: input.version,
      }),
    ),

  /** Marketing email on or off (transactional email has no switch: it is about the account). */
  setMarketingOptIn: protectedProcedure
    .input(z.object({ optIn: z.boolean() }))
    .output(z.object({ optIn: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await setMarketingOptIn(ctx.db, { userId: ctx.session.user.id, optIn: input.optIn, via: "settings" });
      return { optIn: input.optIn };
    }),
});
