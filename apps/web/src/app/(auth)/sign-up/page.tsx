import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "~/components/auth/sign-up-form";
import { getEnabledOAuthProviders } from "~/server/oauth-providers";
import { getCurrentSession } from "~/server/session";

export const metadata: Metadata = { title: "Create your account — AnimateImg" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await getCurrentSession()) redirect("/");
  const params = await searchParams;
  const error = typeof params.error === "string" ? params.error : null;
  return (
    <section className="card auth-card">
      <h1>Create your account</h1>
      <p className="detail">AnimateImg is for people aged 13 and over.</p>
      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
      <SignUpForm providers={getEnabledOAuthProviders()} />
    </section>
  );
}
