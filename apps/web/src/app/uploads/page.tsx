import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { UploadsWorkspace } from "~/components/upload/uploads-workspace";
import { getCurrentSession } from "~/server/session";

export const metadata: Metadata = { title: "Your uploads — AnimateImg" };
export const dynamic = "force-dynamic";

export default async function UploadsPage() {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?returnTo=/uploads");
  return (
    <main>
      <h1>Your uploads</h1>
      <p className="lede">
        Photos to animate and reference videos for Motion Control. Everything is stored encrypted and only you can open
        it.
      </p>
      <UploadsWorkspace />
    </main>
  );
}
