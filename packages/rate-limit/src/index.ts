export {
  consumeRateLimit,
  deleteExpiredRateLimits,
  resetRateLimit,
  type ConsumeRateLimitOptions,
  type RateLimitRule,
  type RateLimitState,
} from "./consume-rate-limit";
