import nodemailer from "nodemailer";
import type { Db } from "@animateimg/db";
import type { RenderedEmail } from "./templates/layout";

/** Account and security mail (cannot be turned off), plus marketing (opt-in; see @animateimg/privacy). */
export type EmailKind =
  | "verify_email"
  | "change_email"
  | "reset_password"
  | "new_sign_in"
  | "email_changed"
  | "data_export_ready"
  | "webhook_disabled"
  | "marketing";

export interface OutgoingEmail extends RenderedEmail {
  to: string;
  kind: EmailKind;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post on marketing mail (RFC 8058). */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** "smtp" when a server is configured, else "outbox" (the database table). */
  readonly transport: "smtp" | "outbox";
  send(email: OutgoingEmail): Promise<void>;
}

export interface CreateMailerOptions {
  db: Db;
  /** smtp:// or smtps:// URL with credentials; unset writes to the outbox table. */
  smtpUrl?: string | undefined;
  /** The From header, e.g. `AnimateImg <no-reply@animateimg.org>`. */
  from: string;
}

export function createMailer({ db, smtpUrl, from }: CreateMailerOptions): Mailer {
  if (smtpUrl) {
    const transporter = nodemailer.createTransport(smtpUrl);
    return {
      transport: "smtp",
      send: async (email) => {
        await transporter.sendMail({
          from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          ...(email.headers ? { headers: email.headers } : {}),
        });
      },
    };
  }
  return {
    transport: "outbox",
    send: async (email) => {
      await db
        .insertInto("email_outbox")
        .values({
          kind: email.kind,
          to_address: email.to,
          subject: email.subject,
          text_body: email.text,
          html_body: email.html,
          headers: email.headers ?? {},
        })
        .execute();
    },
  };
}

export interface OutboxMessage {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  createdAt: Date;
}

/** Newest first; optionally only messages to one address. */
export async function listOutbox(db: Db, options: { to?: string; limit?: number } = {}): Promise<OutboxMessage[]> {
  let query = db
    .selectFrom("email_outbox")
    .select(["id", "kind", "to_address", "subject", "text_body", "html_body", "headers", "created_at"])
    .orderBy("created_at", "desc")
    .limit(options.limit ?? 50);
  if (options.to) query = query.where("to_address", "=", options.to);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    headers: row.headers,
    createdAt: row.created_at,
  }));
}
