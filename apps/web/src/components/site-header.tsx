import Link from "next/link";
import { getCurrentSession } from "~/server/session";
import { SignOutButton } from "./auth/sign-out-button";

/** Sign in / sign up for visitors; the user's name, settings and sign out for members. */
export async function SiteHeader() {
  const session = await getCurrentSession();
  return (
    <header className="site-header">
      <Link href="/" className="site-brand">
        AnimateImg
      </Link>
      <nav className="site-account" aria-label="Account">
        {session ? (
          <>
            {session.user.emailVerified ? null : (
              <Link href="/verify-email" className="verify-hint">
                Confirm your email
              </Link>
            )}
            <Link href="/settings" data-testid="account-name">
              {session.user.name}
            </Link>
            <SignOutButton />
          </>
        ) : (
          <>
            <Link href="/sign-in">Sign in</Link>
            <Link href="/sign-up" className="button-link">
              Sign up
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
