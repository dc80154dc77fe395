import { describe, expect, it } from "vitest";
import {
  attemptOutcomeFromRecord,
  circuitStatus,
  circuitStatusByProvider,
  type AttemptOutcome,
} from "./circuit-breaker";

const now = 1_000_000_000;
const at = (secondsAgo: number, outcome: AttemptOutcome["outcome"]): AttemptOutcome => ({
  at: now - secondsAgo * 1000,
  outcome,
});
const options = { windowMs: 600_000, lastN: 10, minSamples: 4, failureRateThreshold: 0.5, coolDownMs: 60_000 };

describe("circuit breaker", () => {
  it("stays closed with no history or too few samples", () => {
    expect(circuitStatus([], now, options).state).toBe("closed");
    expect(circuitStatus([at(5, "transient"), at(4, "transient"), at(3, "transient")], now, options)).toMatchObject({
      state: "closed",
      samples: 3,
    });
  });

  it("opens when the failure rate reaches the threshold, until the cool-down passes", () => {
    const outcomes = [at(50, "success"), at(40, "transient"), at(30, "unknown"), at(20, "auth")];
    expect(circuitStatus(outcomes, now, options)).toMatchObject({
      state: "open",
      failureRate: 0.75,
      samples: 4,
      retryAt: now - 20_000 + 60_000,
    });
  });

  it("ignores 429s: a provider asking us to slow down is up, not failing", () => {
    const outcomes = [
      at(50, "success"),
      at(40, "rate_limited"),
      at(30, "rate_limited"),
      at(20, "rate_limited"),
      at(10, "rate_limited"),
    ];
    expect(circuitStatus(outcomes, now, options)).toMatchObject({ state: "closed", samples: 1 });
  });

  it("goes half-open after the cool-down, and closes when the probe succeeds", () => {
    const outcomes = [at(300, "transient"), at(290, "transient"), at(280, "transient"), at(270, "transient")];
    expect(circuitStatus(outcomes, now, options).state).toBe("half_open");
    expect(circuitStatus([...outcomes, at(10, "success")], now, options).state).toBe("closed");
    expect(circuitStatus([...outcomes, at(10, "transient")], now, options).state).toBe("open");
  });

  it("stays closed below the threshold", () => {
    const outcomes = [at(40, "success"), at(30, "success"), at(20, "transient"), at(10, "success")];
    expect(circuitStatus(outcomes, now, options)).toMatchObject({ state: "closed", failureRate: 0.25 });
  });

  it("ignores attempts outside the window and beyond the last N", () => {
    const old = [at(900, "transient"), at(800, "transient"), at(700, "transient"), at(650, "transient")];
    expect(circuitStatus(old, now, options).state).toBe("closed");
    const many = [
      ...Array.from({ length: 10 }, (_, i) => at(200 - i, "transient")),
      ...Array.from({ length: 10 }, (_, i) => at(100 - i, "success")),
    ];
    expect(circuitStatus(many, now, options)).toMatchObject({ state: "closed", failureRate: 0, samples: 10 });
  });

  it("does not count the user's invalid input or moderation against the provider", () => {
    const outcomes = [
      at(40, "invalid_input"),
      at(30, "content_policy"),
      at(20, "content_policy"),
      at(10, "invalid_input"),
      at(5, "success"),
    ];
    expect(circuitStatus(outcomes, now, options)).toMatchObject({ state: "closed", samples: 1 });
  });
});

describe("circuit status by provider", () => {
  it("groups attempts per provider", () => {
    const attempts = [
      ...[40, 30, 20, 10].map((s) => ({ provider: "fal", ...at(s, "transient") })),
      ...[40, 30, 20, 10].map((s) => ({ provider: "kie", ...at(s, "success") })),
    ];
    const health = circuitStatusByProvider(attempts, now, options);
    expect(health.fal?.state).toBe("open");
    expect(health.kie?.state).toBe("closed");
  });
});

describe("attemptOutcomeFromRecord", () => {
  it("reads a finished attempt the same way for routing and the admin health page", () => {
    expect(attemptOutcomeFromRecord({ outcome: "succeeded", error_kind: null })).toBe("success");
    expect(attemptOutcomeFromRecord({ outcome: "timed_out", error_kind: null })).toBe("transient");
    expect(attemptOutcomeFromRecord({ outcome: "failed", error_kind: "rate_limited" })).toBe("rate_limited");
    expect(attemptOutcomeFromRecord({ outcome: "failed", error_kind: null })).toBe("unknown");
  });
});
