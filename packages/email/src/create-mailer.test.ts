import { createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { freePort } from "@animateimg/local-services";
import { createMailer, listOutbox } from "./create-mailer";
import { renderNewSignInEmail, renderPasswordResetEmail, renderVerifyEmail } from "./templates/account-emails";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** Just enough of SMTP (RFC 5321) to accept one message at a time, without STARTTLS. */
async function startSmtpSink() {
  const port = await freePort();
  const messages: Array<{ from: string; to: string[]; data: string }> = [];
  const server = createServer((socket: Socket) => {
    let buffer = "";
    let inData = false;
    let current = { from: "", to: [] as string[], data: "" };
    socket.write("220 sink ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end === -1) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          messages.push(current);
          current = { from: "", to: [], data: "" };
          inData = false;
          socket.write("250 OK queued\r\n");
          continue;
        }
        const lineEnd = buffer.indexOf("\r\n");
        if (lineEnd === -1) return;
        const line = buffer.slice(0, lineEnd);
        buffer = buffer.slice(lineEnd + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250-sink\r\n250 8BITMIME\r\n");
        else if (verb === "MAIL") {
          current.from = line;
          socket.write("250 OK\r\n");
        } else if (verb === "RCPT") {
          current.to.push(line);
          socket.write("250 OK\r\n");
        } else if (verb === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (verb === "QUIT") socket.end("221 bye\r\n");
        else socket.write("250 OK\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("createMailer", () => {
  it("writes to the outbox table when no SMTP server is configured", async () => {
    const mailer = createMailer({ db: database.db, from: "AnimateImg <no-reply@app.test>" });
    expect(mailer.transport).toBe("outbox");
    await mailer.send({
      to: "a@example.test",
      kind: "verify_email",
      ...renderVerifyEmail({ name: "A", url: "http://app.test/v?token=t", expiresInHours: 24 }),
    });
    const [message] = await listOutbox(database.db, { to: "a@example.test" });
    expect(message).toMatchObject({
      kind: "verify_email",
      to: "a@example.test",
      subject: "Confirm your email address for AnimateImg",
    });
    expect(message!.text).toContain("http://app.test/v?token=t");
    expect(message!.html).toContain('href="http://app.test/v?token=t"');
  });

  it("sends through SMTP when SMTP_URL is set, with HTML and plain-text parts", async () => {
    const sink = await startSmtpSink();
    try {
      const mailer = createMailer({ db: database.db, smtpUrl: sink.url, from: "AnimateImg <no-reply@app.test>" });
      expect(mailer.transport).toBe("smtp");
      await mailer.send({
        to: "b@example.test",
        kind: "reset_password",
        ...renderPasswordResetEmail({ name: "B", url: "http://app.test/r?token=x" }),
      });
      expect(sink.messages).toHaveLength(1);
      expect(sink.messages[0]!.to.join()).toContain("b@example.test");
      expect(sink.messages[0]!.data).toMatch(/Subject: Reset your AnimateImg password/);
      expect(sink.messages[0]!.data).toContain("text/plain");
      expect(sink.messages[0]!.data).toContain("text/html");
      expect(await listOutbox(database.db, { to: "b@example.test" })).toHaveLength(0);
    } finally {
      await sink.close();
    }
  });
});

describe("templates", () => {
  it("escape what users control and say the email cannot be turned off", () => {
    const email = renderNewSignInEmail({
      name: "<script>alert(1)</script>",
      when: new Date("2026-11-29T10:00:00Z"),
      device: "Firefox 133 on Linux",
      ip: "203.0.113.5",
      settingsUrl: "http://app.test/settings?section=sessions",
    });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;");
    expect(email.text).toContain("Firefox 133 on Linux (IP address 203.0.113.5)");
    expect(email.text).toMatch(/cannot be turned off/);
  });
});
