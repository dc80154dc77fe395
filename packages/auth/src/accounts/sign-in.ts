import { AppError } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import { consumeRateLimit, resetRateLimit } from "@animateimg/rate-limit";
import { normalizeEmail, type AccountMail, type RequestInfo } from "../account-context";
import { hashPassword, verifyPassword } from "../password";
import { accountRateLimits, ipKey } from "../rate-limit-rules";
import { createSession, type CreatedSession } from "../sessions";
import { alertOnNewDevice } from "./send-account-emails";

export interface SignInOptions extends AccountMail {
  email: string;
  password: string;
  request: RequestInfo;
  now?: Date;
}

let dummyHash: Promise<string> | undefined;

/** One message for an unknown email and a wrong password, so neither reveals which. */
export function invalidCredentials(): AppError {
  return new AppError("UNAUTHORIZED", "Incorrect email or password.", { reason: "invalid_credentials" });
}

export async function signInWithPassword(
  db: Db,
  options: SignInOptions,
): Promise<{ userId: string; session: CreatedSession }> {
  const now = options.now ?? new Date();
  const email = normalizeEmail(options.email);
  await consumeRateLimit(db, { ...accountRateLimits.signInPerIp(ipKey(options.request.ip)), now });
  await consumeRateLimit(db, { ...accountRateLimits.signInPerAccount(email), now });

  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "password_hash"])
    .where("email", "=", email)
    .executeTakeFirst();
  if (!user?.password_hash) {
    // Spend the same time as a real check, so timing does not reveal unknown emails.
    dummyHash ??= hashPassword("animateimg-timing-equaliser");
    await verifyPassword(await dummyHash, options.password);
    throw invalidCredentials();
  }
  if (!(await verifyPassword(user.password_hash, options.password))) throw invalidCredentials();

  await resetRateLimit(db, { key: accountRateLimits.signInPerAccount(email).key });
  await alertOnNewDevice(db, { mailer: options.mailer, appUrl: options.appUrl, user, request: options.request, now });
  const session = await createSession(db, {
    userId: user.id,
    userAgent: options.request.userAgent,
    ip: options.request.ip,
    now,
  });
  return { userId: user.id, session };
}
