import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { OAuthButtons } from "~/components/auth/oauth-buttons";
import { SignInForm } from "~/components/auth/sign-in-form";
import { getT, wordRedirectError } from "~/i18n/server";
import { getEnabledOAuthProviders } from "~/server/oauth-providers";
import { getCurrentSession } from "~/server/session";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("auth.signInTitle")} — AnimateImg` };
}

function localPath(value: string | string[] | undefined): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const returnTo = localPath(params.returnTo);
  if (await getCurrentSession()) redirect(returnTo);
  const providers = getEnabledOAuthProviders();
  const { t } = await getT();
  const error = await wordRedirectError(params);
  return (
    <section className="card auth-card">
      <h1>{t("auth.signInTitle")}</h1>
      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
      <SignInForm returnTo={returnTo} />
      {providers.length > 0 ? (
        <div className="auth-alternatives">
          <p className="detail">{t("auth.orContinueWith")}</p>
          <OAuthButtons providers={providers} returnTo={returnTo} t={t} />
        </div>
      ) : null}
    </section>
  );
}
