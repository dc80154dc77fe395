// The worker's logs through pino (@animateimg/logging): Temporal's Runtime logger (worker
// lifecycle, activity starts/failures, activity code's `log`) adapted to pino, and every
// activity's lines tagged with the generation it works for.
import type { ActivityInterceptorsFactory, Logger as TemporalLogger, LogLevel, LogMetadata } from "@temporalio/worker";
import { makeTelemetryFilterString, Runtime } from "@temporalio/worker";
import type { Logger } from "@animateimg/logging";
import { generationWorkflowPrefix } from "./workflow-ids";

const pinoLevel = {
  TRACE: "trace",
  DEBUG: "debug",
  INFO: "info",
  WARN: "warn",
  ERROR: "error",
} as const satisfies Record<LogLevel, string>;

/**
 * A Temporal `Logger` (what DefaultLogger implements) writing to pino. Temporal's metadata
 * becomes fields; its `error` becomes pino's `err` (serialized with type, message and stack);
 * the activity task token is dropped (it completes the activity: a credential); symbol keys
 * (Temporal's timestamp) are left out, pino stamps its own time.
 */
export function temporalLogger(log: Logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(meta ?? {})) {
      if (key === "taskToken") continue;
      fields[key === "error" ? "err" : key] = value;
    }
    log[pinoLevel[level]](fields, message);
  };
  return {
    log: write,
    trace: (message, meta) => write("TRACE", message, meta),
    debug: (message, meta) => write("DEBUG", message, meta),
    info: (message, meta) => write("INFO", message, meta),
    warn: (message, meta) => write("WARN", message, meta),
    error: (message, meta) => write("ERROR", message, meta),
  };
}

/**
 * Installs Temporal's Runtime with its logger routed to `log`, the Rust core's own warnings
 * forwarded there too (instead of printed in core's format). Once per process, before any
 * connection or worker (Temporal refuses a second install).
 */
export function installWorkerLogging(log: Logger): void {
  Runtime.install({
    logger: temporalLogger(log),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: "WARN", other: "ERROR" }), forward: {} } },
  });
}

/** The generation an activity works for: its workflow's id names it, else its input does. */
function generationIdOf(workflowId: string | undefined, args: readonly unknown[]): string | undefined {
  if (workflowId?.startsWith(generationWorkflowPrefix)) return workflowId.slice(generationWorkflowPrefix.length);
  const first = args[0];
  if (first && typeof first === "object" && "generationId" in first && typeof first.generationId === "string")
    return first.generationId;
  return undefined;
}

/**
 * Adds `generationId` to every log line of an activity (Temporal already adds workflow id,
 * activity type and attempt), for the SDK's own lines ("Activity failed"…) and for activity
 * code's `log` calls alike.
 */
export const generationLogAttributes: ActivityInterceptorsFactory = (context) => {
  let generationId = generationIdOf(context.info.workflowExecution?.workflowId, []);
  return {
    inbound: {
      execute: (input, next) => {
        generationId ??= generationIdOf(undefined, input.args);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) => next(generationId ? { ...attributes, generationId } : attributes),
    },
  };
};
