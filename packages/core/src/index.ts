export { AppError, isAppError, isRetryableCode, type AppErrorCode, type AppErrorOptions } from "./app-error";
