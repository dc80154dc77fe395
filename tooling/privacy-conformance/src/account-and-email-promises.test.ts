/**
 * The privacy policy's promises about accounts, uploads, storage, email and the policy itself,
 * each checked against the real code on a real Postgres. Test names are the promises; the
 * README's table maps each sentence of the policy to one of them (or says why code cannot).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssetFromUpload } from "@animateimg/assets";
import {
  requestPasswordReset,
  resolveSessionFromHeaders,
  serializeSessionCookie,
  signUp,
  validateSessionToken,
} from "@animateimg/auth";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer, listOutbox } from "@animateimg/email";
import {
  acknowledgePolicy,
  createUnsubscribeTokens,
  currentPrivacyPolicy,
  definePrivacyPolicy,
  getMarketingPreference,
  getPolicyStatus,
  parsePolicyText,
  policyTextWithContact,
  sendMarketingEmail,
  setMarketingOptIn,
  unsubscribeWithToken,
} from "@animateimg/privacy";
import { handleUnsubscribe } from "@animateimg/api";
import { createLocalEncryptedStore, readBody } from "@animateimg/storage";

let database: TestDatabase;
let scratch: string;
const appUrl = "https://app.test";
const tokens = createUnsubscribeTokens({ secret: "conformance-unsubscribe-secret-0123456789" });
const password = "correct horse battery staple";
let counter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  scratch = await mkdtemp(path.join(tmpdir(), "privacy-conformance-"));
});
afterAll(async () => {
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const mailer = () => createMailer({ db: database.db, from: "AnimateImg <no-reply@app.test>" });

async function newAccount(options: { ageConfirmed?: boolean } = {}) {
  const email = `person${++counter}@example.test`;
  const result = await signUp(database.db, {
    email,
    password,
    name: "Person",
    ageConfirmed: options.ageConfirmed ?? true,
    acceptedPolicyVersion: currentPrivacyPolicy().version,
    mailer: mailer(),
    appUrl,
    request: { ip: `203.0.113.${counter}`, userAgent: "conformance" },
  });
  return { ...result, email };
}

describe("account information", () => {
  it("privacy: passwords are stored only as salted argon2id hashes, never as typed", async () => {
    const { userId } = await newAccount();
    const row = await database.db
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(password);
  });

  it("privacy: AnimateImg is not for children under 13 (sign-up requires confirming age 13+)", async () => {
    const error = await newAccount({ ageConfirmed: false }).catch((e: unknown) => e as { reason?: string });
    expect(error).toMatchObject({ reason: "age_not_confirmed" });
    const rows = await database.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", `person${counter}@example.test`)
      .execute();
    expect(rows).toEqual([]);
  });
});

describe("cookies", () => {
  it("privacy: the session cookie is HttpOnly and SameSite (Secure in production), and only a hash of it is stored", async () => {
    const { session } = await newAccount();
    const cookie = serializeSessionCookie(session.token, session.absoluteExpiresAt, { secure: true });
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/);
    const secret = session.token.split(".")[1]!;
    const stored = await database.db.selectFrom("sessions").selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(await validateSessionToken(database.db, { token: session.token })).not.toBeNull();
  });

  it("privacy: clearing cookies signs you out", async () => {
    const { session } = await newAccount();
    const withCookie = new Headers({ cookie: `animateimg_session=${session.token}` });
    expect(await resolveSessionFromHeaders(database.db, withCookie)).not.toBeNull();
    expect(await resolveSessionFromHeaders(database.db, new Headers())).toBeNull();
  });
});

describe("uploads and storage", () => {
  it("privacy: location and camera details (EXIF, GPS) are removed from uploaded photos", async () => {
    const { userId } = await newAccount();
    const store = createLocalEncryptedStore({
      root: path.join(scratch, "exif"),
      keys: new Map([["k1", randomBytes(32)]]),
      activeKeyId: "k1",
    });
    const input = await sharp({
      create: { width: 320, height: 240, channels: 3, background: { r: 200, g: 120, b: 40 } },
    })
      .jpeg()
      .withExif({
        IFD0: { Artist: "Secret Person", Model: "Secret Camera" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "48/1 51/1 2964/100",
          GPSLongitudeRef: "E",
          GPSLongitude: "2/1 21/1 792/100",
        },
      })
      .toBuffer();
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const filePath = path.join(scratch, "photo.jpg");
    await writeFile(filePath, input);
    const asset = await createAssetFromUpload(database.db, { store, userId, filePath, fileName: "photo.jpg" });
    const stored = await readBody((await store.get(asset.originalKey))!.body);
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    expect(stored.includes(Buffer.from("Secret Person"))).toBe(false);
    expect(stored.includes(Buffer.from("Secret Camera"))).toBe(false);
  });

  it("privacy: stored files are encrypted at rest", async () => {
    const root = path.join(scratch, "at-rest");
    const store = createLocalEncryptedStore({ root, keys: new Map([["k1", randomBytes(32)]]), activeKeyId: "k1" });
    const plaintext = Buffer.from("a private photo's bytes ".repeat(200));
    const { key } = await store.put(plaintext, { contentType: "image/jpeg" });
    const files = (await readdir(root, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const raw = await readFile(path.join(file.parentPath, file.name));
      expect(raw.includes(Buffer.from("a private photo's bytes"))).toBe(false);
    }
    expect(Buffer.from(await readBody((await store.get(key))!.body)).equals(plaintext)).toBe(true);
  });
});

describe("email", () => {
  it("privacy: marketing email is off unless the person turns it on", async () => {
    const { userId, email } = await newAccount();
    expect((await getMarketingPreference(database.db, { userId })).optedIn).toBe(false);
    const result = await sendMarketingEmail(database.db, {
      mailer: mailer(),
      tokens,
      appUrl,
      userId,
      content: { subject: "News", paragraphs: ["Hello"] },
    });
    expect(result.sent).toBe(false);
    expect((await listOutbox(database.db, { to: email })).filter((m) => m.kind === "marketing")).toEqual([]);
  });

  it("privacy: every marketing email includes an unsubscribe link that works in one click, without signing in", async () => {
    const { userId, email } = await newAccount();
    await setMarketingOptIn(database.db, { userId, optIn: true, via: "settings" });
    await sendMarketingEmail(database.db, {
      mailer: mailer(),
      tokens,
      appUrl,
      userId,
      content: { subject: "News", paragraphs: ["Hello"] },
    });
    const [message] = (await listOutbox(database.db, { to: email })).filter((m) => m.kind === "marketing");
    expect(message!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const url = /^<(https:[^>]+)>/.exec(message!.headers["List-Unsubscribe"]!)![1]!;
    expect(message!.text).toContain(url);
    expect(message!.html).toContain(url);
    const token = url.split("/").at(-1)!;
    const response = await handleUnsubscribe(
      new Request(url, { method: "POST", body: "List-Unsubscribe=One-Click" }),
      token,
      {
        db: database.db,
        privacy: { unsubscribeTokens: tokens },
      },
    );
    expect(response.status).toBe(200);
    expect((await getMarketingPreference(database.db, { userId })).optedIn).toBe(false);
  });

  it("privacy: transactional emails (sign-up, security) are sent whatever the marketing choice", async () => {
    const { userId, email } = await newAccount();
    expect((await listOutbox(database.db, { to: email })).map((m) => m.kind)).toContain("verify_email");
    await setMarketingOptIn(database.db, { userId, optIn: true, via: "settings" });
    await unsubscribeWithToken(database.db, { tokens, token: tokens.create(userId) });
    await requestPasswordReset(database.db, {
      email,
      mailer: mailer(),
      appUrl,
      request: { ip: "198.51.100.7", userAgent: "conformance" },
    });
    expect((await listOutbox(database.db, { to: email })).map((m) => m.kind)).toContain("reset_password");
  });
});

describe("the policy", () => {
  it("privacy: a new policy version is posted with its effective date and highlighted in the product until acknowledged", async () => {
    const { userId } = await newAccount();
    const current = currentPrivacyPolicy();
    expect((await getPolicyStatus(database.db, { userId, policy: current })).needsAcknowledgement).toBe(false);
    const updated = definePrivacyPolicy({
      text: current.text,
      history: [
        { version: "2099-01-01", effectiveDate: "2099-01-01", changes: { en: ["Changed."], es: ["Cambiado."] } },
        ...current.history,
      ],
    });
    const status = await getPolicyStatus(database.db, { userId, policy: updated });
    expect(status).toMatchObject({ needsAcknowledgement: true, effectiveDate: "2099-01-01" });
    expect(status.changes[0]!.changes.en).toEqual(["Changed."]);
    await acknowledgePolicy(database.db, { userId, policy: updated, version: "2099-01-01" });
    expect((await getPolicyStatus(database.db, { userId, policy: updated })).needsAcknowledgement).toBe(false);
  });

  it("privacy: the policy's contact section gives an address for privacy questions and data requests", () => {
    const policy = currentPrivacyPolicy();
    const blocks = parsePolicyText(policy.text);
    const contactUs = blocks.findIndex((b) => b.kind === "heading" && b.text === "Contact Us");
    expect(blocks.slice(contactUs).some((b) => b.kind === "contact")).toBe(true);
    expect(policyTextWithContact(policy.text, "privacy@example.test")).toMatch(
      /information:\n\nprivacy@example\.test\n/,
    );
  });
});
