import { accountRouter } from "./routers/account-router";
import { authRouter } from "./routers/auth-router";
import { systemRouter } from "./routers/system-router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  system: systemRouter,
  auth: authRouter,
  account: accountRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (React Server Components, tests). */
export const createCaller = createCallerFactory(appRouter);
