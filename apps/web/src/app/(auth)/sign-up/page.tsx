import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "~/components/auth/sign-up-form";
import { getT, wordRedirectError } from "~/i18n/server";
import { getEnabledOAuthProviders } from "~/server/oauth-providers";
import { getCurrentSession } from "~/server/session";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("auth.signUpTitle")} — AnimateImg` };
}

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await getCurrentSession()) redirect("/");
  const params = await searchParams;
  const error = await wordRedirectError(params);
  const { t } = await getT();
  return (
    <section className="card auth-card">
      <h1>{t("auth.signUpTitle")}</h1>
      <p className="detail">{t("auth.ageNotice")}</p>
      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
      <SignUpForm providers={getEnabledOAuthProviders()} />
    </section>
  );
}
