export {
  createLogger,
  isSensitiveKey,
  redactFields,
  REDACTED,
  scrubLine,
  type CreateLoggerOptions,
  type LogFormat,
  type Logger,
} from "./create-logger";
export { acceptRequestId, createUserHasher, deriveUserHashKey, REQUEST_ID_HEADER } from "./correlation";
export {
  currentRequestContext,
  noteRequestRoute,
  noteRequestUser,
  runWithRequestContext,
  type RequestContext,
} from "./request-context";
