"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import type { Translate } from "~/i18n/translate";
import { FormAlert, formErrorMessage } from "../auth/form-feedback";

/** While an export is queued or being built, Settings asks for its progress every second. */
const POLL_MS = 1000;

/** Settings → Export your data: one button, live progress, then the download link and its expiry. */
export function DataExportSettings() {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const latest = useQuery(
    trpc.dataExport.latest.queryOptions(undefined, {
      refetchInterval: (query) => {
        const status = query.state.data?.status;
        return status === "queued" || status === "running" ? POLL_MS : false;
      },
    }),
  );
  const request = useMutation(
    trpc.dataExport.request.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.dataExport.latest.queryKey() }),
    }),
  );
  const current = latest.data;
  const busy = current?.status === "queued" || current?.status === "running";
  const date = (value: Date) => value.toLocaleString(locale, { dateStyle: "long", timeStyle: "short" });
  const size = (bytes: number) =>
    new Intl.NumberFormat(locale, { style: "unit", unit: "megabyte", maximumFractionDigits: 1 }).format(
      Math.max(0.1, bytes / 1_000_000),
    );

  return (
    <div className="auth-form" data-testid="data-export">
      <p>{t("dataExport.intro")}</p>
      {latest.isPending ? <p>{t("common.loading")}</p> : null}
      {current ? (
        <div role="status" aria-live="polite" data-testid="data-export-status" data-status={current.status}>
          <p className="field-hint">{t("dataExport.requestedOn", { date: date(current.createdAt) })}</p>
          {current.status === "queued" ? <p>{t("dataExport.queued")}</p> : null}
          {current.status === "running" ? (
            <>
              <p>{t("dataExport.running", { percent: current.progress })}</p>
              <progress max={100} value={current.progress} aria-label={t("dataExport.progressLabel")} />
            </>
          ) : null}
          {current.status === "ready" && current.downloadPath && current.expiresAt ? (
            <>
              <p>{t("dataExport.ready", { size: size(current.sizeBytes ?? 0), date: date(current.expiresAt) })}</p>
              <p>
                <a href={current.downloadPath} download data-testid="data-export-download">
                  {t("dataExport.download")}
                </a>
              </p>
            </>
          ) : null}
          {current.status === "expired" && current.expiresAt ? (
            <p>{t("dataExport.expired", { date: date(current.expiresAt) })}</p>
          ) : null}
          {current.status === "failed" ? <p>{t("dataExport.failed")}</p> : null}
        </div>
      ) : null}
      <FormAlert>
        {requestError(request.error, t) ?? (latest.error ? formErrorMessage(latest.error, t) : null)}
      </FormAlert>
      <p>
        <button type="button" onClick={() => request.mutate()} disabled={busy || request.isPending || latest.isPending}>
          {request.isPending ? t("dataExport.starting") : current ? t("dataExport.again") : t("dataExport.start")}
        </button>
      </p>
    </div>
  );
}

/** The two refusals the page words itself (from the error's reason); anything else as the form would. */
function requestError(error: unknown, t: Translate): string | null {
  if (!error) return null;
  const reason = (error as { data?: { reason?: string | null } | null }).data?.reason;
  if (reason === "export_in_progress") return t("dataExport.inProgress");
  if (reason === "export_start_failed") return t("dataExport.startFailed");
  return formErrorMessage(error, t);
}
