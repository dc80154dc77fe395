import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { createCaller, createTRPCContext } from "@animateimg/api";
import { Workspace } from "~/components/workspace/workspace";
import { getT } from "~/i18n/server";
import { getDependencies } from "~/server/deps";
import { getCurrentSession } from "~/server/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("workspace.title")} — AnimateImg` };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function WorkspacePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?returnTo=/workspace");
  const { t } = await getT();
  const { from, only } = await searchParams;
  // The model cards render with the page instead of after a client round trip (no "Loading…" jump).
  const caller = createCaller(
    await createTRPCContext({ deps: getDependencies(), headers: new Headers(await headers()) }),
  );
  const models = await caller.generation.models();
  return (
    <main className="wide">
      <h1>{t("workspace.title")}</h1>
      <p className="lede">{t("workspace.lede")}</p>
      {session.user.emailVerified ? null : <p className="form-alert">{t("workspace.verifyFirst")}</p>}
      <Workspace
        models={models}
        reuseFrom={typeof from === "string" && uuid.test(from) ? from : null}
        reuseOnly={only === "prompt" ? "prompt" : null}
      />
    </main>
  );
}
