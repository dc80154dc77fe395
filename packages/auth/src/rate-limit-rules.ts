import type { RateLimitRule } from "@animateimg/rate-limit";

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** Budgets per window. Per-IP limits slow down sprays; per-account limits slow down guessing. */
export const accountRateLimits = {
  signInPerIp: (ip: string): RateLimitRule => ({ key: `sign-in:ip:${ip}`, windowSeconds: 15 * MINUTE, max: 30 }),
  signInPerAccount: (email: string): RateLimitRule => ({
    key: `sign-in:account:${email.toLowerCase()}`,
    windowSeconds: 15 * MINUTE,
    max: 10,
  }),
  signUpPerIp: (ip: string): RateLimitRule => ({ key: `sign-up:ip:${ip}`, windowSeconds: HOUR, max: 10 }),
  resetRequestPerIp: (ip: string): RateLimitRule => ({ key: `reset:ip:${ip}`, windowSeconds: HOUR, max: 10 }),
  resetRequestPerAccount: (email: string): RateLimitRule => ({
    key: `reset:account:${email.toLowerCase()}`,
    windowSeconds: HOUR,
    max: 3,
  }),
  tokenUsePerIp: (ip: string): RateLimitRule => ({ key: `email-token:ip:${ip}`, windowSeconds: 15 * MINUTE, max: 30 }),
  verificationPerIp: (ip: string): RateLimitRule => ({ key: `verification:ip:${ip}`, windowSeconds: HOUR, max: 10 }),
  verificationPerAccount: (userId: string): RateLimitRule => ({
    key: `verification:account:${userId}`,
    windowSeconds: HOUR,
    max: 3,
  }),
  passwordCheckPerAccount: (userId: string): RateLimitRule => ({
    key: `password-check:account:${userId}`,
    windowSeconds: 15 * MINUTE,
    max: 10,
  }),
} as const;

export function ipKey(ip: string | null): string {
  return ip ?? "unknown";
}
