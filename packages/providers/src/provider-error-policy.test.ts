import { describe, expect, it } from "vitest";
import { ProviderError } from "./adapter";
import { countsForHealth } from "./circuit-breaker";
import { providerErrorDetails, providerErrorFromDetails, providerErrorPolicies } from "./provider-error-policy";

describe("provider error policy", () => {
  it("never cascades moderation or invalid input, and agrees with the circuit breaker", () => {
    expect(providerErrorPolicies.content_policy).toMatchObject({ retrySameRoute: false, fallBack: false });
    expect(providerErrorPolicies.invalid_input).toMatchObject({ retrySameRoute: false, fallBack: false });
    expect(providerErrorPolicies.rate_limited.retrySameRoute).toBe(true);
    expect(providerErrorPolicies.quota).toMatchObject({ retrySameRoute: false, fallBack: true });
    for (const [kind, policy] of Object.entries(providerErrorPolicies))
      expect(policy.countsAgainstProvider, kind).toBe(countsForHealth(kind as keyof typeof providerErrorPolicies));
  });

  it("round-trips a ProviderError through plain details", () => {
    const error = new ProviderError("rate_limited", "kie: slow down", {
      retryAfterMs: 2000,
      providerCode: "429",
      httpStatus: 200,
    });
    const details = providerErrorDetails(error);
    expect(JSON.parse(JSON.stringify(details))).toEqual({
      kind: "rate_limited",
      message: "kie: slow down",
      retryAfterMs: 2000,
      providerCode: "429",
      httpStatus: 200,
    });
    expect(providerErrorFromDetails(details)).toMatchObject({
      kind: "rate_limited",
      retryAfterMs: 2000,
      providerCode: "429",
      httpStatus: 200,
    });
  });
});
