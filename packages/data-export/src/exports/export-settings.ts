/**
 * How long a finished archive can be downloaded before the retention sweep deletes it. The
 * worker reads DATA_EXPORT_DOWNLOAD_DAYS (default 7, as issue 12 and the Settings page say).
 */
export const DEFAULT_EXPORT_DOWNLOAD_DAYS = 7;

export function exportExpiry(finishedAt: Date, downloadDays: number = DEFAULT_EXPORT_DOWNLOAD_DAYS): Date {
  return new Date(finishedAt.getTime() + downloadDays * 86_400_000);
}

/** The file name a download is offered under. */
export function exportFileName(createdAt: Date): string {
  return `animateimg-export-${createdAt.toISOString().slice(0, 10)}.zip`;
}
