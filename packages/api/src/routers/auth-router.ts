import { z } from "zod";
import {
  enabledOAuthProviders,
  getAccount,
  invalidateSession,
  requestEmailVerification,
  requestInfoFromHeaders,
  requestPasswordReset,
  resetPassword,
  serializeBlankSessionCookie,
  serializeSessionCookie,
  signInWithPassword,
  signUp,
  verifyEmailToken,
  type CreatedSession,
} from "@animateimg/auth";
import { assertCurrentVersion } from "@animateimg/privacy";
import { resolveAccountDependencies } from "../auth/account-dependencies";
import { resolvePrivacyDependencies } from "../privacy/privacy-dependencies";
import { accountUser, emailInput, nameInput, passwordInput, tokenInput } from "../auth/auth-schemas";
import { createTRPCRouter, protectedProcedure, publicProcedure, type TRPCContext } from "../trpc";

function setSessionCookie(ctx: TRPCContext, session: CreatedSession): void {
  const { secureCookies } = resolveAccountDependencies(ctx);
  ctx.responseHeaders.append(
    "Set-Cookie",
    serializeSessionCookie(session.token, session.absoluteExpiresAt, { secure: secureCookies }),
  );
}

function clearSessionCookie(ctx: TRPCContext): void {
  const { secureCookies } = resolveAccountDependencies(ctx);
  ctx.responseHeaders.append("Set-Cookie", serializeBlankSessionCookie({ secure: secureCookies }));
}

export const authRouter = createTRPCRouter({
  /** The signed-in account, or null. Public so the header can ask without an error. */
  me: publicProcedure
    .input(z.void())
    .output(accountUser.nullable())
    .query(({ ctx }) => (ctx.session ? getAccount(ctx.db, { userId: ctx.session.user.id }) : null)),

  /** Which OAuth buttons to show. */
  providers: publicProcedure
    .input(z.void())
    .output(z.array(z.enum(["github", "google"])))
    .query(({ ctx }) => enabledOAuthProviders(resolveAccountDependencies(ctx).oauth)),

  signUp: publicProcedure
    .input(
      z.object({
        email: emailInput,
        password: passwordInput,
        name: nameInput,
        ageConfirmed: z.boolean(),
        // The language the page was read in: the account's emails are written in it.
        locale: z.enum(["en", "es"]).optional(),
        // The policy version the page showed; absent (older clients): the current one, which the page links to.
        policyVersion: z.string().max(64).optional(),
      }),
    )
    .output(z.object({ userId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const deps = resolveAccountDependencies(ctx);
      const { policy } = resolvePrivacyDependencies(ctx);
      const { policyVersion, ...account } = input;
      if (policyVersion !== undefined) assertCurrentVersion(policy, policyVersion);
      const result = await signUp(ctx.db, {
        ...account,
        acceptedPolicyVersion: policy.version,
        mailer: deps.mailer,
        appUrl: deps.appUrl,
        ...(deps.welcomeCredits ? { welcomeCredits: deps.welcomeCredits } : {}),
        request: requestInfoFromHeaders(ctx.headers, {
          trustedProxyHops: resolveAccountDependencies(ctx).trustedProxyHops ?? 0,
        }),
      });
      setSessionCookie(ctx, result.session);
      return { userId: result.userId };
    }),

  signIn: publicProcedure
    .input(z.object({ email: emailInput, password: passwordInput }))
    .output(z.object({ userId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const deps = resolveAccountDependencies(ctx);
      const result = await signInWithPassword(ctx.db, {
        ...input,
        mailer: deps.mailer,
        appUrl: deps.appUrl,
        request: requestInfoFromHeaders(ctx.headers, {
          trustedProxyHops: resolveAccountDependencies(ctx).trustedProxyHops ?? 0,
        }),
      });
      // A new token at every sign-in; the browser's previous session (if any) ends.
      if (ctx.session) await invalidateSession(ctx.db, { sessionId: ctx.session.id });
      setSessionCookie(ctx, result.session);
      return { userId: result.userId };
    }),

  signOut: publicProcedure
    .input(z.void())
    .output(z.object({ signedOut: z.boolean() }))
    .mutation(async ({ ctx }) => {
      if (ctx.session) await invalidateSession(ctx.db, { sessionId: ctx.session.id });
      clearSessionCookie(ctx);
      return { signedOut: ctx.session !== null };
    }),

  verifyEmail: publicProcedure
    .input(z.object({ token: tokenInput }))
    .output(z.object({ kind: z.enum(["verify_email", "change_email"]), email: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const deps = resolveAccountDependencies(ctx);
      const result = await verifyEmailToken(ctx.db, {
        token: input.token,
        mailer: deps.mailer,
        appUrl: deps.appUrl,
        request: requestInfoFromHeaders(ctx.headers, {
          trustedProxyHops: resolveAccountDependencies(ctx).trustedProxyHops ?? 0,
        }),
      });
      return { kind: result.kind, email: result.email };
    }),

  requestEmailVerification: protectedProcedure
    .input(z.void())
    .output(z.object({ alreadyVerified: z.boolean() }))
    .mutation(({ ctx }) => {
      const deps = resolveAccountDependencies(ctx);
      return requestEmailVerification(ctx.db, {
        userId: ctx.session.user.id,
        mailer: deps.mailer,
        appUrl: deps.appUrl,
        request: requestInfoFromHeaders(ctx.headers, {
          trustedProxyHops: resolveAccountDependencies(ctx).trustedProxyHops ?? 0,
        }),
      });
    }),

  /** Always answers the same, whether or not the email has an account. */
  requestPasswordReset: publicProcedure
    .input(z.object({ email: emailInput }))
    .output(z.object({ sent: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const deps = resolveAccountDependencies(ctx);
      await requestPasswordReset(ctx.db, {
        email: input.email,
        mailer: deps.mailer,
        appUrl: deps.appUrl,
        request: requestInfoFromHeaders(ctx.headers, {
          trustedProxyHops: resolveAccountDependencies(ctx).trustedProxyHops ?? 0,
        }),
      });
      return { sent: true as const };
    }),

  resetPassword: publicProcedure
    .input(z.object({ token: tokenInput, newPassword: passwordInput }))
    .output(z.object({ reset: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await resetPassword(ctx.db, {
        token: input.token,
        newPassword: input.newPassword,
        request: requestInfoFromHeaders(ctx.headers, {
          trustedProxyHops: resolveAccountDependencies(ctx).trustedProxyHops ?? 0,
        }),
      });
      // Every session of the account ended, this browser's included.
      clearSessionCookie(ctx);
      return { reset: true as const };
    }),
});
