import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ActivityFeed } from "~/components/activity/activity-feed";
import { getT } from "~/i18n/server";
import { getCurrentSession } from "~/server/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("activity.title")} — AnimateImg` };
}

export default async function ActivityPage() {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?returnTo=/activity");
  const { t } = await getT();
  return (
    <main className="wide">
      <h1>{t("activity.title")}</h1>
      <p className="lede">{t("activity.lede")}</p>
      <ActivityFeed />
    </main>
  );
}
