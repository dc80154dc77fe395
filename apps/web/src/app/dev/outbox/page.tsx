import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { readDevOutbox } from "~/server/dev-outbox";

export const metadata: Metadata = { title: "Email outbox (development) — AnimateImg" };
export const dynamic = "force-dynamic";

/** Development only, and only from this machine: see readDevOutbox. */
export default async function OutboxPage() {
  const messages = await readDevOutbox();
  if (messages === null) notFound();
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
