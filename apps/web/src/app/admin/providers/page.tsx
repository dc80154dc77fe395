import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ProviderHealthTable } from "~/components/admin/provider-health-table";
import { getCurrentSession } from "~/server/session";

export const metadata: Metadata = { title: "Provider health — AnimateImg admin" };
export const dynamic = "force-dynamic";

export default async function ProviderHealthPage() {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?next=/admin/providers");
  if (session.user.role !== "admin") {
    return (
      <main>
        <h1>Provider health</h1>
        <p className="form-alert" role="alert">
          This page is for administrators only.
        </p>
      </main>
    );
  }
  return (
    <main className="admin-page">
      <h1>Provider health</h1>
      <p className="lede">
        Every route&apos;s last 24 hours, from the attempts generations recorded: the same data the circuit breaker uses
        to skip a failing provider.
      </p>
      <ProviderHealthTable />
    </main>
  );
}
