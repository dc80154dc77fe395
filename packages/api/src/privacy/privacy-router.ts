import { z } from "zod";
import {
  acknowledgePolicy,
  describeUnsubscribeLink,
  getMarketingPreference,
  getPolicyStatus,
  parsePolicyText,
  setMarketingOptIn,
} from "@animateimg/privacy";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";
import { resolvePrivacyDependencies } from "./privacy-dependencies";

const changeNotes = z.object({ en: z.array(z.string()).readonly(), es: z.array(z.string()).readonly() });
const policyVersion = z.object({ version: z.string(), effectiveDate: z.string(), changes: changeNotes });
const policyBlock = z.discriminatedUnion("kind", [
  z.object({ kind: z.enum(["title", "heading", "subheading"]), text: z.string() }),
  z.object({ kind: z.literal("paragraph"), lines: z.array(z.string()) }),
  z.object({ kind: z.literal("list"), items: z.array(z.string()) }),
  z.object({ kind: z.literal("contact") }),
]);

export const privacyRouter = createTRPCRouter({
  /** The policy in force: version, effective date, contact and every version's change notes. */
  policy: publicProcedure
    .input(z.void())
    .output(
      z.object({
        version: z.string(),
        effectiveDate: z.string(),
        contactEmail: z.string(),
        history: z.array(policyVersion),
      }),
    )
    .query(({ ctx }) => {
      const { policy, contactEmail } = resolvePrivacyDependencies(ctx);
      return {
        version: policy.version,
        effectiveDate: policy.effectiveDate,
        contactEmail,
        history: [...policy.history],
      };
    }),

  /** The policy's text in blocks (headings, paragraphs, lists) for the /privacy page. */
  document: publicProcedure
    .input(z.void())
    .output(
      z.object({
        version: z.string(),
        effectiveDate: z.string(),
        contactEmail: z.string(),
        blocks: z.array(policyBlock),
      }),
    )
    .query(({ ctx }) => {
      const { policy, contactEmail } = resolvePrivacyDependencies(ctx);
      return {
        version: policy.version,
        effectiveDate: policy.effectiveDate,
        contactEmail,
        blocks: parsePolicyText(policy.text),
      };
    }),

  /** What an unsubscribe link's page shows (no session: the link is the credential; reading never unsubscribes). */
  unsubscribeLink: publicProcedure
    .input(z.object({ token: z.string().max(512) }))
    .output(z.object({ maskedEmail: z.string().nullable(), optedIn: z.boolean() }))
    .query(({ ctx, input }) =>
      describeUnsubscribeLink(ctx.db, {
        tokens: resolvePrivacyDependencies(ctx).unsubscribeTokens,
        token: input.token,
      }),
    ),

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
