// What each error kind means for the generation workflow, in one table so activities, the
// workflow and the circuit breaker agree. The workflow still decides; this is the default.
import { ProviderError, type ProviderErrorKind } from "./adapter";

export interface ProviderErrorPolicy {
  /** Try the same route again (after retryAfterMs for rate limits, with backoff otherwise). */
  retrySameRoute: boolean;
  /** Move on to the next route once retries on this one are spent (or at once when not retried). */
  fallBack: boolean;
  /** Whether it says something about the provider's health (feeds the circuit breaker). */
  countsAgainstProvider: boolean;
  /** What the person sees if this ends the generation. Never names the provider's outage. */
  userMessage: string;
}

export const providerErrorPolicies: Record<ProviderErrorKind, ProviderErrorPolicy> = {
  transient: {
    retrySameRoute: true,
    fallBack: true,
    countsAgainstProvider: true,
    userMessage: "The video service is busy right now. Your credits were returned; please try again.",
  },
  // A 429 says the provider is up and we are over our share: it never opens the circuit.
  rate_limited: {
    retrySameRoute: true,
    fallBack: true,
    countsAgainstProvider: false,
    userMessage: "The video service is busy right now. Your credits were returned; please try again.",
  },
  // Our request or the person's media: another route would most likely refuse it too.
  invalid_input: {
    retrySameRoute: false,
    fallBack: false,
    countsAgainstProvider: false,
    userMessage: "This photo or these settings could not be used. Please check them and try again.",
  },
  // Moderation: cascading would be shopping for a laxer provider.
  content_policy: {
    retrySameRoute: false,
    fallBack: false,
    countsAgainstProvider: false,
    userMessage: "This request was declined by the content policy. Your credits were returned.",
  },
  auth: {
    retrySameRoute: false,
    fallBack: true,
    countsAgainstProvider: true,
    userMessage: "The video service is unavailable right now. Your credits were returned; please try again.",
  },
  quota: {
    retrySameRoute: false,
    fallBack: true,
    countsAgainstProvider: true,
    userMessage: "The video service is unavailable right now. Your credits were returned; please try again.",
  },
  // The provider answered in a shape its docs do not describe: asking again gets the same
  // answer, and reading a guessed value could bill or show the wrong thing. Another route may work.
  provider_protocol: {
    retrySameRoute: false,
    fallBack: true,
    countsAgainstProvider: true,
    userMessage: "Something went wrong while making your video. Your credits were returned.",
  },
  unknown: {
    retrySameRoute: false,
    fallBack: true,
    countsAgainstProvider: true,
    userMessage: "Something went wrong while making your video. Your credits were returned.",
  },
};

/** A ProviderError as plain data: what crosses the activity boundary (ApplicationFailure details). */
export interface ProviderErrorDetails {
  kind: ProviderErrorKind;
  message: string;
  retryAfterMs?: number;
  providerCode?: string;
  httpStatus?: number;
}

export function providerErrorDetails(error: ProviderError): ProviderErrorDetails {
  return {
    kind: error.kind,
    message: error.message,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.providerCode === undefined ? {} : { providerCode: error.providerCode }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
  };
}

export function providerErrorFromDetails(details: ProviderErrorDetails): ProviderError {
  return new ProviderError(details.kind, details.message, details);
}
