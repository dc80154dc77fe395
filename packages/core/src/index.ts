export { AppError, isAppError, isRetryableCode, type AppErrorCode, type AppErrorOptions } from "./app-error";
export { decodeKeysetCursor, encodeKeysetCursor, type KeysetPosition } from "./keyset-cursor";
