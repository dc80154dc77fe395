import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { PEER_ADDRESS_HEADER } from "@animateimg/auth";
import { listOutbox } from "@animateimg/email";
import { env } from "~/env";
import { getDependencies } from "~/server/deps";

export const metadata: Metadata = { title: "Email outbox (development) — AnimateImg" };
export const dynamic = "force-dynamic";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Development only: the emails the app "sent" while no SMTP server is configured. They hold
 * live sign-in and reset links, so only a browser on this machine may read them (the peer
 * address our server records; without it, nobody).
 */
export default async function OutboxPage() {
  if (env.NODE_ENV === "production") notFound();
  const peer = (await headers()).get(PEER_ADDRESS_HEADER) ?? "";
  if (!LOOPBACK.test(peer)) notFound();
  const messages = await listOutbox(getDependencies().db, { limit: 50 });
  return (
    <main>
      <h1>Email outbox</h1>
      <p className="detail">
        Development only, and only from this machine. With <code>SMTP_URL</code> unset, emails are stored here instead
        of being sent. Newest first.
      </p>
      {messages.length === 0 ? <p>No emails yet.</p> : null}
      <ul className="outbox-list">
        {messages.map((message) => (
          <li key={message.id} className="card outbox-item">
            <details>
              <summary>
                <strong>{message.subject}</strong>
                <span className="detail">
                  {" "}
                  to {message.to} · {message.kind} · {message.createdAt.toLocaleString()}
                </span>
              </summary>
              <pre className="outbox-text">{message.text}</pre>
              <iframe className="outbox-html" title={`HTML of ${message.subject}`} sandbox="" srcDoc={message.html} />
            </details>
          </li>
        ))}
      </ul>
    </main>
  );
}
