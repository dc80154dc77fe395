"use client";

import { useEffect } from "react";
import { useT } from "~/i18n/i18n-provider";

/** How long "Undo" is offered; the server keeps the files for 30 s, so this stays well inside it. */
export const UNDO_SECONDS = 8;

export function UndoToast({ onUndo, onClose, pending }: { onUndo: () => void; onClose: () => void; pending: boolean }) {
  const { t } = useT();
  useEffect(() => {
    const timer = window.setTimeout(onClose, UNDO_SECONDS * 1000);
    return () => window.clearTimeout(timer);
  }, [onClose]);
  return (
    <div className="toast card" role="status" data-testid="undo-toast">
      <span>{t("activity.deleted")}</span>
      <button type="button" onClick={onUndo} disabled={pending}>
        {t("activity.undo")}
      </button>
    </div>
  );
}
