export { appRouter, createCaller, type AppRouter } from "./root";
export { createTRPCContext, type ApiDependencies, type AuthSession, type SessionUser, type TRPCContext } from "./trpc";
export type { ComponentHealth, SystemHealth } from "./system/check-system-health";
