import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "~/components/auth/password-reset-forms";
import { getT } from "~/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("auth.resetTitle")} — AnimateImg` };
}

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : null;
  const { t } = await getT();
  return (
    <section className="card auth-card">
      <h1>{t("auth.resetTitle")}</h1>
      {token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p className="form-alert" role="alert">
          {t("auth.resetNeedsLink")} <Link href="/forgot-password">{t("auth.requestNewLink")}</Link>
        </p>
      )}
    </section>
  );
}
