import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createEmailToken, consumeEmailToken, deleteExpiredEmailTokens } from "./email-tokens";
import { ensureDemoUser } from "./ensure-demo-user";
import {
  createSession,
  deleteExpiredSessions,
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_IDLE_TIMEOUT_MS,
  validateSessionToken,
} from "./sessions";
import { readSessionToken, serializeBlankSessionCookie, serializeSessionCookie } from "./session-cookie";

let database: TestDatabase;
let userId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  ({ id: userId } = await ensureDemoUser(database.db, {
    email: "s@example.test",
    password: "session-pass-1",
    name: "S",
  }));
});
afterAll(() => database?.drop());

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const t0 = new Date("2026-11-29T08:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("sessions", () => {
  it("tokens carry 2 × 120 random bits and differ every time", async () => {
    const a = await createSession(database.db, { userId, now: t0 });
    const b = await createSession(database.db, { userId, now: t0 });
    expect(a.token).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{24}$/);
    expect(a.token).not.toBe(b.token);
  });

  it("slides the idle expiry at most once an hour", async () => {
    const { token, id } = await createSession(database.db, { userId, now: t0 });
    const read = () =>
      database.db
        .selectFrom("sessions")
        .select(["expires_at", "last_seen_at"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();

    await validateSessionToken(database.db, { token, now: at(30 * 60 * 1000) });
    expect((await read()).expires_at.getTime()).toBe(at(SESSION_IDLE_TIMEOUT_MS).getTime()); // not written yet

    const validated = await validateSessionToken(database.db, { token, now: at(2 * HOUR) });
    expect(validated?.expiresAt.getTime()).toBe(at(2 * HOUR + SESSION_IDLE_TIMEOUT_MS).getTime());
    expect((await read()).last_seen_at.getTime()).toBe(at(2 * HOUR).getTime());
  });

  it("ends after 30 idle days", async () => {
    const { token } = await createSession(database.db, { userId, now: t0 });
    expect(await validateSessionToken(database.db, { token, now: at(29 * DAY) })).not.toBeNull();
    expect(await validateSessionToken(database.db, { token, now: at(29 * DAY + 30 * DAY + 1) })).toBeNull();
    // Expired sessions are deleted when seen.
    expect(await validateSessionToken(database.db, { token, now: at(DAY) })).toBeNull();
  });

  it("ends at the absolute lifetime however active it is", async () => {
    const { token } = await createSession(database.db, { userId, now: t0 });
    for (let day = 20; day < 90; day += 20) {
      expect(await validateSessionToken(database.db, { token, now: at(day * DAY) })).not.toBeNull();
    }
    const nearEnd = await validateSessionToken(database.db, { token, now: at(SESSION_ABSOLUTE_LIFETIME_MS - HOUR) });
    expect(nearEnd?.expiresAt.getTime()).toBe(at(SESSION_ABSOLUTE_LIFETIME_MS).getTime());
    expect(await validateSessionToken(database.db, { token, now: at(SESSION_ABSOLUTE_LIFETIME_MS) })).toBeNull();
  });

  it("refuses malformed and wrong-secret tokens", async () => {
    const { token } = await createSession(database.db, { userId, now: t0 });
    const [id, secret] = token.split(".") as [string, string];
    for (const bad of [
      "",
      id,
      `${id}.`,
      `${id}.${secret}.x`,
      `${id}.${secret.slice(0, -1)}a`,
      `${"x".repeat(24)}.${secret}`,
    ]) {
      expect(await validateSessionToken(database.db, { token: bad, now: at(HOUR) })).toBeNull();
    }
  });

  it("sweeps expired sessions", async () => {
    await createSession(database.db, { userId, now: t0 });
    expect(await deleteExpiredSessions(database.db, { now: at(400 * DAY) })).toBeGreaterThan(0);
    expect(await database.db.selectFrom("sessions").select("id").execute()).toHaveLength(0);
  });
});

describe("email tokens", () => {
  it("are single use, expire, and are swept once used or expired", async () => {
    const used = await createEmailToken(database.db, {
      userId,
      kind: "verify_email",
      email: "s@example.test",
      now: t0,
    });
    await consumeEmailToken(database.db, { token: used, kinds: ["verify_email"], now: t0 });
    await expect(consumeEmailToken(database.db, { token: used, kinds: ["verify_email"], now: t0 })).rejects.toThrow(
      /already been used/,
    );
    const reset = await createEmailToken(database.db, {
      userId,
      kind: "reset_password",
      email: "s@example.test",
      now: t0,
    });
    await expect(consumeEmailToken(database.db, { token: reset, kinds: ["verify_email"], now: t0 })).rejects.toThrow();
    await expect(
      consumeEmailToken(database.db, { token: reset, kinds: ["reset_password"], now: at(HOUR) }),
    ).rejects.toThrow(/expired/);
    expect(await deleteExpiredEmailTokens(database.db, { now: at(HOUR) })).toBe(2);
  });
});

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Lax, Path=/, Secure only when asked, and readable back", () => {
    const expires = new Date(Date.now() + DAY);
    expect(serializeSessionCookie("abc.def", expires, { secure: true })).toMatch(
      /^animateimg_session=abc\.def; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=86\d{3}; Expires=/,
    );
    expect(serializeSessionCookie("abc.def", expires, { secure: false })).not.toContain("Secure");
    expect(serializeBlankSessionCookie({ secure: false })).toContain("Max-Age=0");
    expect(readSessionToken(new Headers({ cookie: "theme=dark; animateimg_session=abc.def; x=1" }))).toBe("abc.def");
    expect(readSessionToken(new Headers({ cookie: "theme=dark" }))).toBeNull();
  });
});
