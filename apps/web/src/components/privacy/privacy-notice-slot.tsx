import { getT } from "~/i18n/server";
import { getServerCaller } from "~/server/caller";
import { getCurrentSession } from "~/server/session";
import { PrivacyNotice } from "./privacy-notice";

/** The new-policy notice, rendered on every page for signed-in people who have not accepted the current version. */
export async function PrivacyNoticeSlot() {
  const session = await getCurrentSession();
  if (!session) return null;
  const status = await (await getServerCaller()).privacy.status();
  if (!status.needsAcknowledgement) return null;
  const { locale } = await getT();
  const date = new Date(`${status.effectiveDate}T00:00:00Z`).toLocaleDateString(locale, {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  });
  const changes = status.changes.flatMap((version) => version.changes[locale]);
  return <PrivacyNotice version={status.currentVersion} date={date} changes={changes} />;
}
