import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, databaseEnv, parseEnv, temporalEnv } from "./index";

describe("parseEnv", () => {
  const schema = databaseEnv.extend(temporalEnv.shape);

  it("names a missing variable in one line", () => {
    const run = () => parseEnv(schema, { TEMPORAL_ADDRESS: "127.0.0.1:7233" });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/^Configuration error: DATABASE_URL is required but not set/);
  });

  it("names a malformed variable and says what shape it needs", () => {
    try {
      parseEnv(schema, { DATABASE_URL: "mysql://x/y", TEMPORAL_ADDRESS: "nope" });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(2);
      expect(problems[0]).toContain(
        "DATABASE_URL is invalid: must be a URL starting with postgres:// or postgresql://",
      );
      expect(problems[1]).toContain("TEMPORAL_ADDRESS is invalid: must be host:port");
    }
  });

  it("treats blank values as unset so defaults apply", () => {
    const env = parseEnv(schema, {
      DATABASE_URL: "postgres://127.0.0.1:5432/app",
      TEMPORAL_ADDRESS: "127.0.0.1:7233",
      TEMPORAL_NAMESPACE: "  ",
    });
    expect(env.TEMPORAL_NAMESPACE).toBe("default");
    expect(env.TEMPORAL_TASK_QUEUE).toBe("animateimg");
  });

  it("coerces numbers", () => {
    const env = parseEnv(z.object({ PORT: z.coerce.number().int() }), { PORT: "3000" });
    expect(env.PORT).toBe(3000);
  });
});
