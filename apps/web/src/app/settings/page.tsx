import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getServerCaller } from "~/server/caller";
import { getEnabledOAuthProviders } from "~/server/oauth-providers";
import { getCurrentSession } from "~/server/session";
import { getT, wordRedirectError } from "~/i18n/server";
import { settingsSections } from "./sections";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("settings.title")} — AnimateImg` };
}
export const dynamic = "force-dynamic";

export default async function SettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?returnTo=/settings");
  const raw = await searchParams;
  const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : undefined]));
  const active = settingsSections.find((s) => s.id === params.section) ?? settingsSections[0]!;
  const account = await (await getServerCaller()).account.get();
  const { t } = await getT();
  const context = {
    account,
    oauthProviders: getEnabledOAuthProviders(),
    params,
    redirectError: await wordRedirectError(params),
    t,
  };
  return (
    <main className="settings-page">
      <h1>{t("settings.title")}</h1>
      <div className="settings-layout">
        <nav className="settings-nav" aria-label={t("settings.sections")}>
          {settingsSections.map((section) => (
            <Link
              key={section.id}
              href={`/settings?section=${section.id}`}
              aria-current={section.id === active.id ? "page" : undefined}
            >
              {t(section.label)}
            </Link>
          ))}
        </nav>
        <section className="card settings-panel" aria-labelledby="settings-section-heading">
          <h2 id="settings-section-heading">{t(active.label)}</h2>
          {active.render(context)}
        </section>
      </div>
    </main>
  );
}
