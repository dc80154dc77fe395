import type { Metadata } from "next";
import Link from "next/link";
import { ResendVerification, VerifyEmailForm } from "~/components/auth/verify-email-form";
import { getCurrentSession } from "~/server/session";

export const metadata: Metadata = { title: "Confirm your email — AnimateImg" };

export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : null;
  const session = await getCurrentSession();
  return (
    <section className="card auth-card">
      <h1>Confirm your email</h1>
      {token ? (
        <VerifyEmailForm token={token} />
      ) : session ? (
        session.user.emailVerified ? (
          <p>
            {session.user.email} is confirmed. <Link href="/">Continue</Link>
          </p>
        ) : (
          <>
            <p>
              {params.sent ? "Welcome! " : ""}We sent a link to <strong>{session.user.email}</strong>. Follow it to
              confirm your address — you need a confirmed address before starting paid work. The link works once, for 24
              hours.
            </p>
            <ResendVerification />
          </>
        )
      ) : (
        <p>
          Open the link from our email to confirm your address, or{" "}
          <Link href="/sign-in?returnTo=/verify-email">sign in</Link> to get a new one.
        </p>
      )}
    </section>
  );
}
