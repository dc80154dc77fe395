import type { Metadata } from "next";
import { ForgotPasswordForm } from "~/components/auth/password-reset-forms";

export const metadata: Metadata = { title: "Forgot your password — AnimateImg" };

export default function ForgotPasswordPage() {
  return (
    <section className="card auth-card">
      <h1>Forgot your password?</h1>
      <p className="detail">Enter your account's email address and we will send you a link to choose a new password.</p>
      <ForgotPasswordForm />
    </section>
  );
}
