import type { MessageKey, Translate } from "~/i18n/translate";
import { formErrorMessage } from "../auth/form-feedback";

/** Domain reasons this section knows, each with a sentence in the reader's language. */
const reasonMessages: Record<string, MessageKey> = {
  wrong_password: "deletion.error.wrongPassword",
  reauthentication_required: "deletion.error.reauthenticationRequired",
  deletion_not_scheduled: "deletion.error.notScheduled",
  deletion_under_way: "deletion.error.underWay",
  no_deletion_scheduled: "deletion.error.noneScheduled",
};

/** The sentence for a failed deletion request or cancel: by reason code, else the server's own sentence. */
export function deletionErrorMessage(error: unknown, t: Translate): string | null {
  if (!error) return null;
  const reason = (error as { data?: { reason?: string | null } | null }).data?.reason;
  const key = reason ? reasonMessages[reason] : undefined;
  return key ? t(key) : formErrorMessage(error, t);
}
