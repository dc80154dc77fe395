import Link from "next/link";
import { getT } from "~/i18n/server";
import { getCurrentSession } from "~/server/session";
import { SignOutButton } from "./auth/sign-out-button";
import { BalanceChip } from "./billing/balance-chip";
import { NavLink } from "./ui/nav-link";

/** Sign in / sign up for visitors; the user's name, settings and sign out for members. */
export async function SiteHeader() {
  const session = await getCurrentSession();
  const { t } = await getT();
  return (
    <header className="site-header">
      <Link href="/" className="site-brand">
        AnimateImg
      </Link>
      {/* Workspace UI (issue 6): only pages that exist; the signed-out see the gallery. */}
      <nav className="site-nav" aria-label={t("nav.label")}>
        {session ? (
          <>
            <NavLink href="/workspace">{t("nav.workspace")}</NavLink>
            <NavLink href="/activity">{t("nav.activity")}</NavLink>
          </>
        ) : null}
        <NavLink href="/gallery">{t("nav.gallery")}</NavLink>
        <NavLink href="/pricing">{t("nav.pricing")}</NavLink>
      </nav>
      <nav className="site-account" aria-label={t("auth.accountNav")}>
        {session ? (
          <>
            {session.user.emailVerified ? null : (
              <Link href="/verify-email" className="verify-hint">
                {t("auth.confirmEmailHint")}
              </Link>
            )}
            {/* Payments (issue 13): the live balance; links to Buy credits. */}
            <BalanceChip />
            <Link href="/settings" data-testid="account-name">
              {session.user.name}
            </Link>
            <SignOutButton />
          </>
        ) : (
          <>
            <Link href="/sign-in">{t("auth.signInTitle")}</Link>
            <Link href="/sign-up" className="button-link">
              {t("landing.signUpShort")}
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
