import type { z } from "zod";

/** Thrown when the environment does not satisfy a schema; its message is one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

type EnvSource = Record<string, string | undefined>;

/**
 * Validates `env` against `schema`. Empty strings count as unset, so a blank line in .env
 * behaves like a missing variable instead of an invalid one.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: EnvSource): z.infer<S> {
  const cleaned: EnvSource = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== "") cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join(".") || "(environment)";
    const missing = issue.code === "invalid_type" && cleaned[name] === undefined;
    return missing
      ? `Configuration error: ${name} is required but not set (see .env.example).`
      : `Configuration error: ${name} is invalid: ${issue.message}.`;
  });
  throw new ConfigError(problems);
}

/**
 * For process entry points: parse, and on failure print the lines and exit with code 78
 * (EX_CONFIG) instead of a stack trace.
 */
export function loadEnvOrExit<S extends z.ZodType>(schema: S, env: EnvSource): z.infer<S> {
  try {
    return parseEnv(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.problems) console.error(line);
      process.exit(78);
    }
    throw error;
  }
}
