import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "~/components/auth/password-reset-forms";

export const metadata: Metadata = { title: "Choose a new password — AnimateImg" };

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : null;
  return (
    <section className="card auth-card">
      <h1>Choose a new password</h1>
      {token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p className="form-alert" role="alert">
          This page needs the link from our email. <Link href="/forgot-password">Request a new link</Link>
        </p>
      )}
    </section>
  );
}
