import type { Metadata } from "next";
import { SystemStatus } from "~/components/system-status";
import { getT } from "~/i18n/server";
import { getCurrentSession } from "~/server/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("status.title")} — AnimateImg` };
}

/** The live state of Postgres, Temporal and the worker (moved here from the landing page). */
export default async function StatusPage() {
  const { t } = await getT();
  const session = await getCurrentSession();
  return (
    <main>
      <h1>{t("status.title")}</h1>
      <SystemStatus details={session?.user.role === "admin"} />
    </main>
  );
}
