export { AppError, isAppError, isRetryableCode, type AppErrorCode, type AppErrorOptions } from "./app-error";
export { decodeKeysetCursor, encodeKeysetCursor, type KeysetPosition } from "./keyset-cursor";
export { formatMessage, messageArguments, type MessageVars } from "./format-message";
export {
  englishFailurePhrases,
  englishStatusMessage,
  englishStatusMessages,
  failurePhraseKey,
  failurePhraseKeys,
  isStatusCode,
  makeStatus,
  parseStatus,
  renderStatus,
  statusCodes,
  statusVars,
  type FailurePhraseKey,
  type Status,
  type StatusCode,
  type StatusParams,
  type StatusWords,
  type WordedStatus,
} from "./status-codes";
