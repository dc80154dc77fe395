import type { Metadata } from "next";
import Link from "next/link";
import { TRPCError } from "@trpc/server";
import { getT } from "~/i18n/server";
import { getServerCaller } from "~/server/caller";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("unsubscribe.title")} — AnimateImg`, robots: { index: false } };
}
export const dynamic = "force-dynamic";

/** Where the unsubscribe link leads in a browser: it asks first (a GET never unsubscribes). */
export default async function UnsubscribePage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token } = await params;
  const done = (await searchParams).done === "1";
  const { t } = await getT();
  let view: { maskedEmail: string | null; optedIn: boolean } | null = null;
  try {
    view = await (await getServerCaller()).privacy.unsubscribeLink({ token });
  } catch (error) {
    // A forged, truncated or foreign link is a typed refusal (BAD_REQUEST / NOT_FOUND): show the sentence below.
    if (!(error instanceof TRPCError) || error.code === "INTERNAL_SERVER_ERROR") throw error;
  }
  return (
    <main className="narrow-page unsubscribe-page">
      <h1>{t("unsubscribe.title")}</h1>
      {view === null ? (
        <p role="alert" data-testid="unsubscribe-invalid">
          {t("unsubscribe.invalid")} <Link href="/settings?section=privacy">{t("unsubscribe.settingsLink")}</Link>
        </p>
      ) : done || !view.optedIn ? (
        <p role="status" data-testid="unsubscribe-done">
          {t("unsubscribe.done", { email: view.maskedEmail ?? "" })}
        </p>
      ) : (
        <form method="post" action={`/api/unsubscribe/${encodeURIComponent(token)}`}>
          <p>{t("unsubscribe.ask", { email: view.maskedEmail ?? "" })}</p>
          <input type="hidden" name="source" value="page" />
          <button type="submit" className="primary">
            {t("unsubscribe.button")}
          </button>
        </form>
      )}
      <p className="detail">{t("unsubscribe.transactional")}</p>
    </main>
  );
}
