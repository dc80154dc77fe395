export { appRouter, createCaller, type AppRouter } from "./root";
export { createTRPCContext, type ApiDependencies, type AuthSession, type SessionUser, type TRPCContext } from "./trpc";
export type { ComponentHealth, SystemHealth } from "./system/check-system-health";
export type { AccountDependencies } from "./auth/account-dependencies";
export { createSessionResolver } from "./auth/session-resolver";
export { createTrpcFetchHandler, type TrpcFetchHandlerOptions } from "./http/trpc-fetch-handler";
