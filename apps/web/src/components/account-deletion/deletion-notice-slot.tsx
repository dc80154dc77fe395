import { getT } from "~/i18n/server";
import { getServerCaller } from "~/server/caller";
import { getCurrentSession } from "~/server/session";
import { DeletionNotice } from "./deletion-notice";

/**
 * On every page, for a signed-in person whose account is scheduled for deletion: the date and a
 * Cancel button. Signing in during the grace period therefore always offers to cancel.
 */
export async function DeletionNoticeSlot() {
  const session = await getCurrentSession();
  if (!session) return null;
  const status = await (await getServerCaller()).accountDeletion.status();
  if (status.state !== "scheduled") return null;
  const { locale } = await getT();
  const date = status.eraseAfter.toLocaleString(locale, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
  return <DeletionNotice date={date} />;
}
