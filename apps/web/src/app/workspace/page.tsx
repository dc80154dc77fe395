import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Workspace } from "~/components/workspace/workspace";
import { getT } from "~/i18n/server";
import { getCurrentSession } from "~/server/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("workspace.title")} — AnimateImg` };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function WorkspacePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?returnTo=/workspace");
  const { t } = await getT();
  const { from, only } = await searchParams;
  return (
    <main className="wide">
      <h1>{t("workspace.title")}</h1>
      <p className="lede">{t("workspace.lede")}</p>
      {session.user.emailVerified ? null : <p className="form-alert">{t("workspace.verifyFirst")}</p>}
      <Workspace reuseFrom={typeof from === "string" && uuid.test(from) ? from : null} reuseOnly={only === "prompt" ? "prompt" : null} />
    </main>
  );
}
