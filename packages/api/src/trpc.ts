/**
 * 1. CONTEXT — what every procedure may use. Built per request by the HTTP handler in
 *    apps/web from long-lived dependencies (db pool, the Temporal orchestrator) created once, plus the
 *    caller's session resolved from the request's cookie.
 * 2. INITIALIZATION — superjson; zod errors flattened so forms can show them per field;
 *    AppError (domain failures) mapped to the tRPC code of the same name, keeping its reason
 *    and retry-after for the client.
 * 3. PROCEDURE TIERS — public, protected (a signed-in session, non-null in the type),
 *    verified (email verified: required for paid work), admin.
 */
import type { EndpointUrlPolicy } from "@animateimg/webhooks";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { isAppError } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import type { GenerationEvents } from "@animateimg/generations";
import type { Offers, PaymentProcessor } from "@animateimg/payments";
import type { Orchestrator } from "@animateimg/workflows/orchestrator";
import type { AccountDependencies } from "./auth/account-dependencies";
import type { UploadDependencies } from "./upload/upload-dependencies";
import type { PrivacyDependencies } from "./privacy/privacy-dependencies";
import type { AccountDeletionDependencies } from "./account-deletion/account-deletion-dependencies";
import { describeInputIssues, INTERNAL_ERROR_MESSAGE } from "./errors/describe-input-issues";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "user" | "admin";
  emailVerified: boolean;
}

export interface AuthSession {
  id: string;
  user: SessionUser;
}

/** What generation.* needs beyond the database and the orchestrator; optional so other routers' tests need none of it. */
export interface GenerationDependencies {
  /** Signs a short-lived URL for a stored blob, bound to its owner. */
  blobUrls?: { urlFor(grant: { key: string; subject: string; filename?: string }): string };
  /** Live changes for the status stream (one LISTEN connection per process). */
  events?: GenerationEvents;
  /** Remote providers with credentials; the local engine is always available. */
  enabledProviders?: ReadonlySet<string>;
}

export interface ApiDependencies {
  db: Db;
  /**
   * The only way to Temporal: start, signal, cancel and health, by name (built once per process
   * by the app; connects lazily, so a Temporal that is down fails only what needs it).
   */
  orchestrator: Orchestrator;
  /** host:port of Temporal, so health can tell "refused" from "does not answer". */
  temporalAddress?: string;
  /** How long one health check's answer is shared (default 5 s). */
  healthMaxAgeMs?: number;
  /** Reads the session cookie from the request; null when signed out or expired. */
  resolveSession: (headers: Headers) => Promise<AuthSession | null>;
  generations?: GenerationDependencies;
  /** Mailer, public URL, cookie and OAuth settings for auth.* and account.*; defaults suit tests. */
  accounts?: AccountDependencies;
  /** Blob store and URL signer for upload.* and the upload/blob routes; absent: uploads are off. */
  uploads?: UploadDependencies;
  /** Offers and the payment processor for billing.*; absent: payments are off (offers still listed). */
  payments?: PaymentDependencies;
  /** The policy in force, the privacy contact and the unsubscribe token signer; defaults suit tests. */
  privacy?: PrivacyDependencies;
  /** Grace period and the erasure scheduler for accountDeletion.*; defaults: 7 days, Temporal. */
  accountDeletion?: AccountDeletionDependencies;
  /** Outbound webhooks: the endpoint URL policy (default production's: https, public addresses only). */
  webhooks?: { policy: EndpointUrlPolicy };
}

export interface PaymentDependencies {
  processor: PaymentProcessor | undefined;
  offers: Offers;
  /** Public origin for checkout return URLs. */
  appUrl: string;
  /** For the live balance stream (one LISTEN connection per process); absent: the chip reads once. */
  databaseUrl?: string;
}

export interface CreateContextOptions {
  deps: ApiDependencies;
  headers: Headers;
  /** Headers of the response (Set-Cookie); the fetch adapter hands these in. */
  responseHeaders?: Headers;
}

export async function createTRPCContext({ deps, headers, responseHeaders }: CreateContextOptions) {
  const session = await deps.resolveSession(headers);
  return { ...deps, headers, responseHeaders: responseHeaders ?? new Headers(), session };
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  // Every error leaves in tRPC's shape with a sentence a person can act on: domain errors keep
  // their own, input errors are described field by field, and anything else (SQL, a crashed
  // dependency, a failed output check) is ours and never shows its internal text or stack.
  errorFormatter: ({ shape, error }) => {
    const appError = isAppError(error.cause) ? error.cause : null;
    const internal = !appError && error.code === "INTERNAL_SERVER_ERROR";
    const inputError = !internal && error.cause instanceof ZodError ? error.cause : null;
    const flattened = inputError ? z.flattenError(inputError) : null;
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message: internal ? INTERNAL_ERROR_MESSAGE : inputError ? describeInputIssues(inputError) : shape.message,
      data: {
        ...data,
        zodError: flattened,
        reason: appError?.reason ?? (inputError ? "invalid_input" : null),
        // What the reason's sentence needs, so the web app can word it in the reader's language.
        params: appError?.params ?? null,
        retryAfterSeconds: appError?.retryAfterSeconds ?? null,
        fieldErrors: appError?.fieldErrors ?? (flattened ? definedFieldErrors(flattened.fieldErrors) : null),
      },
    };
  },
});

function definedFieldErrors(fieldErrors: Record<string, string[] | undefined>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(fieldErrors).filter((entry): entry is [string, string[]] => entry[1] !== undefined),
  );
}

/** Turns an AppError thrown by a domain function into the matching tRPC error. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

export const publicProcedure = t.procedure.use(appErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in to continue." });
  return next({ ctx: { ...ctx, session: ctx.session } });
});

/** Paid work (generations, purchases) needs a verified email. */
export const verifiedProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.session.user.emailVerified) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Please verify your email address before starting paid work." });
  }
  return next({ ctx });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.session.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Administrators only." });
  return next({ ctx });
});
