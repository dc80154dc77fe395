/**
 * 1. CONTEXT — what every procedure may use. Built per request by the HTTP handler in
 *    apps/web from long-lived dependencies (db pool, Temporal client) created once.
 * 2. INITIALIZATION — superjson, and zod errors flattened so forms can show them per field.
 * 3. PROCEDURE TIERS — public for now; protected and admin tiers arrive with accounts.
 */
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Db } from "@animateimg/db";
import type { Client } from "@temporalio/client";

export interface ApiDependencies {
  db: Db;
  getTemporalClient: () => Promise<Client>;
  taskQueue: string;
}

export interface CreateContextOptions {
  deps: ApiDependencies;
  headers: Headers;
}

export function createTRPCContext({ deps, headers }: CreateContextOptions) {
  return { ...deps, headers };
}

export type TRPCContext = ReturnType<typeof createTRPCContext>;

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    data: {
      ...shape.data,
      zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
    },
  }),
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;
