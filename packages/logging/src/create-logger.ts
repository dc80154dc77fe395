import { Writable } from "node:stream";
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/**
 * Field names whose values never reach a log line, at any depth: credentials, emails (they
 * identify a person) and prompts (user content). Compared lowercased without `-`/`_`, and as a
 * substring, so `apiKey`, `x-api-key`, `webhookSecret`, `taskToken`, `Set-Cookie` and
 * `negativePrompt` are all caught without listing each spelling.
 */
const SENSITIVE_KEY_PARTS = ["password", "secret", "token", "apikey", "authorization", "cookie", "email", "prompt"];
export const REDACTED = "[redacted]";

export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, "");
  return SENSITIVE_KEY_PARTS.some((part) => normalized.includes(part));
}

/**
 * A copy of `value` with sensitive fields replaced, through plain objects and arrays (depth
 * capped, cycles cut). Errors and other class instances are left to pino's serializers: their
 * text is masked by shape (scrubLine) on the way out.
 */
export function redactFields(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value) || depth > 8) return "[…]";
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => redactFields(item, depth + 1, seen));
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    out[key] = isSensitiveKey(key) ? REDACTED : redactFields(item, depth + 1, seen);
  return out;
}

// Whatever slipped through by key (an email inside an error message, a header echoed in a
// provider's error…) is masked by shape on the serialized line.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// Our API keys are `aimg_<id>_<secret>` (packages/auth/api-keys.ts): the id may stay, not the secret.
const API_KEY = /\b(aimg_[a-z2-7]{24}_)[a-z2-7]{24}\b/g;
export function scrubLine(line: string): string {
  return line.replace(EMAIL, "[email]").replace(BEARER, "$1 [redacted]").replace(API_KEY, "$1[redacted]");
}

export type LogFormat = "json" | "pretty";

export interface CreateLoggerOptions {
  /** `web`, `worker`…: every line carries it. */
  service: string;
  /** pino level (`trace`…`fatal`, `silent`); default `info`. */
  level?: string;
  /** Where lines go (default stdout, written synchronously so a line before exit is not lost). Tests capture them here. */
  destination?: DestinationStream;
  /** `json` (default): one JSON object per line. `pretty`: one readable line per record (development consoles). */
  format?: LogFormat;
}

/** The one way the apps make loggers: JSON lines, redacted by key and scrubbed by shape. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  const logger = pino(
    {
      level: options.level ?? "info",
      base: { service: options.service },
      formatters: {
        log: (object) => redactFields(object) as Record<string, unknown>,
        bindings: (bindings) => redactFields(bindings) as Record<string, unknown>,
      },
      hooks: { streamWrite: scrubLine },
    },
    options.format === "pretty" ? prettyStream(destination) : destination,
  );
  // pino applies the bindings formatter to the root's bindings only; a child's (`{ requestId,
  // headers }`…) are redacted here. Children inherit from the root, so theirs go through it too.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with each instance as `this`
  const child = logger.child;
  const redactingChild = function (
    this: Logger,
    bindings: Record<string, unknown>,
    childOptions?: Parameters<Logger["child"]>[1],
  ) {
    return child.call(this, redactFields(bindings) as Record<string, unknown>, childOptions);
  };
  logger.child = redactingChild as Logger["child"];
  return logger;
}

const levelNames: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

/** `12:00:01 INFO  web: message key=value …`, without a pretty-printer dependency. */
function prettyStream(out: DestinationStream): DestinationStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        try {
          const {
            time,
            level,
            service,
            msg,
            pid: _pid,
            hostname: _host,
            err,
            ...rest
          } = JSON.parse(line) as Record<string, unknown>;
          const when = new Date(Number(time)).toISOString().slice(11, 19);
          const fields = Object.entries(rest)
            .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
            .join(" ");
          const stack = err && typeof err === "object" && "stack" in err ? `\n${String(err.stack)}` : "";
          out.write(
            `${when} ${(levelNames[Number(level)] ?? "").padEnd(5)} ${String(service)}: ${typeof msg === "string" ? msg : ""}${fields ? ` ${fields}` : ""}${stack}\n`,
          );
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}
