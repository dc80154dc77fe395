import { z } from "zod";
import {
  changePassword,
  enabledOAuthProviders,
  getAccount,
  invalidateUserSessions,
  listAccountSessions,
  requestEmailChange,
  revokeAccountSession,
  setEmailLocale,
  unlinkOAuthProvider,
  updateProfile,
} from "@animateimg/auth";
import { resolveAccountDependencies } from "../auth/account-dependencies";
import { accountUser, emailInput, nameInput, passwordInput } from "../auth/auth-schemas";
import { createTRPCRouter, protectedProcedure } from "../trpc";

const sessionItem = z.object({
  id: z.string(),
  current: z.boolean(),
  browser: z.string(),
  os: z.string(),
  ip: z.string().nullable(),
  place: z.string().nullable(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
});

export const accountRouter = createTRPCRouter({
  get: protectedProcedure
    .input(z.void())
    .output(accountUser)
    .query(({ ctx }) => getAccount(ctx.db, { userId: ctx.session.user.id })),

  updateProfile: protectedProcedure
    .input(z.object({ name: nameInput }))
    .output(z.object({ updated: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await updateProfile(ctx.db, { userId: ctx.session.user.id, name: input.name });
      return { updated: true as const };
    }),

  /** The language the person now reads the site in; their emails follow it. */
  setLocale: protectedProcedure
    .input(z.object({ locale: z.enum(["en", "es"]) }))
    .output(z.object({ updated: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await setEmailLocale(ctx.db, { userId: ctx.session.user.id, locale: input.locale });
      return { updated: true as const };
    }),

  /** Ends every other session; this one stays signed in. */
  changePassword: protectedProcedure
    .input(z.object({ currentPassword: z.string().max(1024).optional(), newPassword: passwordInput }))
    .output(z.object({ signedOutSessions: z.number().int() }))
    .mutation(({ ctx, input }) =>
      changePassword(ctx.db, {
        userId: ctx.session.user.id,
        currentSessionId: ctx.session.id,
        currentPassword: input.currentPassword,
        newPassword: input.newPassword,
      }),
    ),

  /** Sends a confirmation link to the new address; the change happens when it is followed. */
  changeEmail: protectedProcedure
    .input(z.object({ newEmail: emailInput, currentPassword: z.string().max(1024).optional() }))
    .output(z.object({ pendingEmail: z.string() }))
    .mutation(({ ctx, input }) => {
      const deps = resolveAccountDependencies(ctx);
      return requestEmailChange(ctx.db, {
        userId: ctx.session.user.id,
        newEmail: input.newEmail,
        currentPassword: input.currentPassword,
        mailer: deps.mailer,
        appUrl: deps.appUrl,
      });
    }),

  listSessions: protectedProcedure
    .input(z.void())
    .output(z.array(sessionItem))
    .query(({ ctx }) => listAccountSessions(ctx.db, { userId: ctx.session.user.id, currentSessionId: ctx.session.id })),

  revokeSession: protectedProcedure
    .input(z.object({ sessionId: z.string().min(1).max(64) }))
    .output(z.object({ revoked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await revokeAccountSession(ctx.db, { userId: ctx.session.user.id, sessionId: input.sessionId });
      return { revoked: true as const };
    }),

  /** "Sign out of all other devices". */
  revokeOtherSessions: protectedProcedure
    .input(z.void())
    .output(z.object({ revoked: z.number().int() }))
    .mutation(async ({ ctx }) => ({
      revoked: await invalidateUserSessions(ctx.db, {
        userId: ctx.session.user.id,
        exceptSessionId: ctx.session.id,
      }),
    })),

  /** Linked GitHub/Google accounts, and which providers this server offers to link. */
  linkedProviders: protectedProcedure
    .input(z.void())
    .output(
      z.object({
        linked: accountUser.shape.linkedProviders,
        available: z.array(z.enum(["github", "google"])),
        hasPassword: z.boolean(),
      }),
    )
    .query(async ({ ctx }) => {
      const account = await getAccount(ctx.db, { userId: ctx.session.user.id });
      return {
        linked: account.linkedProviders,
        available: enabledOAuthProviders(resolveAccountDependencies(ctx).oauth),
        hasPassword: account.hasPassword,
      };
    }),

  unlinkProvider: protectedProcedure
    .input(z.object({ provider: z.enum(["github", "google"]) }))
    .output(z.object({ unlinked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await unlinkOAuthProvider(ctx.db, { userId: ctx.session.user.id, provider: input.provider });
      return { unlinked: true as const };
    }),
});
