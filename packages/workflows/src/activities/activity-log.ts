import { Context } from "@temporalio/activity";
import type { Logger } from "@temporalio/common";

const consoleLog: Logger = {
  log: (level, message, meta) => console.warn(`${level} ${message}`, meta ?? ""),
  trace: () => {},
  debug: () => {},
  info: (message, meta) => console.log(message, meta ?? ""),
  warn: (message, meta) => console.warn(message, meta ?? ""),
  error: (message, meta) => console.error(message, meta ?? ""),
};

/**
 * The running activity's logger: the Runtime's (pino in the worker process), its lines carrying
 * workflow id, activity type, attempt and generation id (worker-logging.ts). Outside an
 * activity (tests call some activity functions directly) the console.
 */
export function activityLog(): Logger {
  try {
    return Context.current().log;
  } catch {
    return consoleLog;
  }
}
