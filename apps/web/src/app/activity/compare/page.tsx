import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { CompareView } from "~/components/compare/compare-view";
import { getT } from "~/i18n/server";
import { getCurrentSession } from "~/server/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("compare.title")} — AnimateImg` };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A batch is at most eight photos (or four models); more ids than that are not a batch we made. */
const maxCompared = 8;

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ids } = await searchParams;
  const list = (typeof ids === "string" ? ids.split(",") : []).filter((id) => uuid.test(id)).slice(0, maxCompared);
  const session = await getCurrentSession();
  if (!session) redirect(`/sign-in?returnTo=${encodeURIComponent(`/activity/compare?ids=${list.join(",")}`)}`);
  const { t } = await getT();
  return (
    <main className="wide">
      <h1>{t("compare.title")}</h1>
      <p className="lede">{t("compare.lede")}</p>
      {list.length === 0 ? (
        <p className="card empty-state">
          {t("compare.none")} <Link href="/workspace">{t("activity.startOne")}</Link>
        </p>
      ) : (
        <CompareView ids={list} />
      )}
    </main>
  );
}
