export { createLogger, redactPaths, scrubLine, type CreateLoggerOptions, type Logger } from "./create-logger";
export { acceptRequestId, createUserHasher, REQUEST_ID_HEADER } from "./correlation";
