import { AppError } from "@animateimg/core";
import { COMMON_PASSWORDS } from "./common-passwords";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password";

type PasswordProblem = "too_short" | "too_long" | "common" | "repeated" | "email";

const problemMessages: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  common: "This password is one of the most commonly used. Please choose another.",
  repeated: "A single repeated character is too easy to guess.",
  email: "Don't use your email address as your password.",
};

function passwordProblem(password: string, context: { email?: string; name?: string }): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return "too_short";
  if (length > PASSWORD_MAX_LENGTH) return "too_long";
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) return "common";
  if (/^(.)\1+$/u.test(password)) return "repeated";
  const emailName = context.email?.split("@")[0]?.toLowerCase();
  if (emailName && emailName.length >= 4 && lowered === emailName) return "email";
  if (context.email && lowered === context.email.toLowerCase()) return "email";
  return null;
}

/** A reason the password is refused, or null when it is acceptable. */
export function findPasswordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  const problem = passwordProblem(password, context);
  return problem && problemMessages[problem];
}

/** Throws a BAD_REQUEST with a message under `field` when the password breaks the policy. */
export function assertPasswordAllowed(
  password: string,
  context: { email?: string; name?: string; field?: string } = {},
): void {
  const problem = passwordProblem(password, context);
  if (problem) {
    const message = problemMessages[problem];
    throw new AppError("BAD_REQUEST", message, {
      reason: "weak_password",
      params: { problem, min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH },
      fieldErrors: { [context.field ?? "password"]: [message] },
    });
  }
}
