import { AppError } from "@animateimg/core";
import { COMMON_PASSWORDS } from "./common-passwords";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password";

/** A reason the password is refused, or null when it is acceptable. */
export function findPasswordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) return "This password is one of the most commonly used. Please choose another.";
  if (/^(.)\1+$/u.test(password)) return "A single repeated character is too easy to guess.";
  const emailName = context.email?.split("@")[0]?.toLowerCase();
  if (emailName && emailName.length >= 4 && lowered === emailName)
    return "Don't use your email address as your password.";
  if (context.email && lowered === context.email.toLowerCase()) return "Don't use your email address as your password.";
  return null;
}

/** Throws a BAD_REQUEST with a message under `field` when the password breaks the policy. */
export function assertPasswordAllowed(
  password: string,
  context: { email?: string; name?: string; field?: string } = {},
): void {
  const problem = findPasswordProblem(password, context);
  if (problem) {
    throw new AppError("BAD_REQUEST", problem, {
      reason: "weak_password",
      fieldErrors: { [context.field ?? "password"]: [problem] },
    });
  }
}
