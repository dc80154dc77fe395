import type { Metadata } from "next";
import { ForgotPasswordForm } from "~/components/auth/password-reset-forms";
import { getT } from "~/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("auth.forgotTitle")} — AnimateImg` };
}

export default async function ForgotPasswordPage() {
  const { t } = await getT();
  return (
    <section className="card auth-card">
      <h1>{t("auth.forgotTitle")}</h1>
      <p className="detail">{t("auth.forgotLede")}</p>
      <ForgotPasswordForm />
    </section>
  );
}
