import { resolvePrivacyDependencies } from "@animateimg/api";
import { getPolicyStatus } from "@animateimg/privacy";
import { getT } from "~/i18n/server";
import { getDependencies } from "~/server/deps";
import { getCurrentSession } from "~/server/session";
import { PrivacyNotice } from "./privacy-notice";

/** The new-policy notice, rendered on every page for signed-in people who have not accepted the current version. */
export async function PrivacyNoticeSlot() {
  const session = await getCurrentSession();
  if (!session) return null;
  const deps = getDependencies();
  const { policy } = resolvePrivacyDependencies(deps);
  const status = await getPolicyStatus(deps.db, { userId: session.user.id, policy });
  if (!status.needsAcknowledgement) return null;
  const { locale } = await getT();
  const date = new Date(`${policy.effectiveDate}T00:00:00Z`).toLocaleDateString(locale, {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  });
  const changes = status.changes.flatMap((version) => version.changes[locale]);
  return <PrivacyNotice version={policy.version} date={date} changes={changes} />;
}
