import { systemRouter } from "./routers/system-router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  system: systemRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (React Server Components, tests). */
export const createCaller = createCallerFactory(appRouter);
