import { Writable } from "node:stream";
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/**
 * Keys whose values never reach a log line, at the top level, one and two levels down (pino
 * redaction matches exact paths; `*` is one level). Prompts are user content, emails identify
 * a person, the rest are credentials.
 */
const sensitiveKeys = [
  "password",
  "newPassword",
  "currentPassword",
  "token",
  "accessToken",
  "refreshToken",
  "apiKey",
  "secret",
  "clientSecret",
  "authorization",
  "cookie",
  "set-cookie",
  "email",
  "prompt",
  "negativePrompt",
];
export const redactPaths = sensitiveKeys.flatMap((key) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const join = (prefix: string) => (k.startsWith("[") ? `${prefix}${k}` : `${prefix}.${k}`);
  return [k.startsWith("[") ? k : key, join("*"), join("*.*")];
});

// Whatever slipped through by key (an email inside an error message…) is masked by shape.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
export function scrubLine(line: string): string {
  return line.replace(EMAIL, "[email]").replace(BEARER, "$1 [redacted]");
}

export interface CreateLoggerOptions {
  /** `web`, `worker`…: every line carries it. */
  service: string;
  /** pino level; default `info`. */
  level?: string;
  /** Where lines go (default stdout). Tests capture them here. */
  destination?: DestinationStream;
  /** One readable line per record instead of JSON (development consoles). */
  pretty?: boolean;
}

/** The one way the apps make loggers: JSON lines, redacted by key and scrubbed by shape. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service },
      redact: { paths: redactPaths, censor: "[redacted]" },
      hooks: { streamWrite: scrubLine },
    },
    options.pretty ? prettyStream(destination) : destination,
  );
}

const levelNames: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

/** `12:00:01 INFO  web: message key=value …`, without a pretty-printer dependency. */
function prettyStream(out: DestinationStream): DestinationStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        try {
          const { time, level, service, msg, pid: _pid, hostname: _host, err, ...rest } = JSON.parse(line) as Record<string, unknown>;
          const when = new Date(Number(time)).toISOString().slice(11, 19);
          const fields = Object.entries(rest)
            .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
            .join(" ");
          const stack = err && typeof err === "object" && "stack" in err ? `\n${String((err).stack)}` : "";
          out.write(`${when} ${(levelNames[Number(level)] ?? "").padEnd(5)} ${String(service)}: ${typeof msg === "string" ? msg : ""}${fields ? ` ${fields}` : ""}${stack}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}
