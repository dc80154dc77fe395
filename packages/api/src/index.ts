export { appRouter, createCaller, type AppRouter } from "./root";
export { createTRPCContext, type ApiDependencies, type TRPCContext } from "./trpc";
export type { ComponentHealth, SystemHealth } from "./system/check-system-health";
