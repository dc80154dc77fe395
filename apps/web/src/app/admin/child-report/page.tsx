import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ChildReportForm } from "~/components/admin/child-report-form";
import { getCurrentSession } from "~/server/session";

export const metadata: Metadata = { title: "Delete a child's account — AnimateImg admin" };
export const dynamic = "force-dynamic";

export default async function ChildReportPage() {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?next=/admin/child-report");
  if (session.user.role !== "admin") {
    return (
      <main>
        <h1>Delete a child&apos;s account</h1>
        <p className="form-alert" role="alert">
          This page is for administrators only.
        </p>
      </main>
    );
  }
  return (
    <main className="admin-page">
      <h1>Delete a child&apos;s account</h1>
      <p className="lede">
        When an account is reported as belonging to a child under 13, the privacy policy promises to delete it. This
        starts the same deletion workflow a person can start in Settings, now and without a grace period: uploads,
        videos, history, sessions and linked accounts are removed; only anonymous accounting rows stay.
      </p>
      <ChildReportForm />
    </main>
  );
}
