import type { Metadata } from "next";
import Link from "next/link";
import { ResendVerification, VerifyEmailForm } from "~/components/auth/verify-email-form";
import { getT } from "~/i18n/server";
import { getCurrentSession } from "~/server/session";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("auth.verifyTitle")} — AnimateImg` };
}

export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : null;
  const session = await getCurrentSession();
  const { t } = await getT();
  return (
    <section className="card auth-card">
      <h1>{t("auth.verifyTitle")}</h1>
      {token ? (
        <VerifyEmailForm token={token} />
      ) : session ? (
        session.user.emailVerified ? (
          <p>
            {t("auth.isConfirmed", { email: session.user.email })} <Link href="/">{t("auth.continue")}</Link>
          </p>
        ) : (
          <>
            <p>
              {params.sent ? `${t("auth.welcome")} ` : ""}
              {t("auth.weSentLink", { email: session.user.email })}
            </p>
            <ResendVerification />
          </>
        )
      ) : (
        <p>
          {t("auth.openLinkOr")} <Link href="/sign-in?returnTo=/verify-email">{t("auth.signInForNewLink")}</Link>.
        </p>
      )}
    </section>
  );
}
