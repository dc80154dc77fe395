export {
  buildExportArchive,
  type BuildExportArchiveOptions,
  type BuiltExportArchive,
  type ExportArchiveEntry,
} from "./archive/build-export-archive";
export {
  getDataExportForBuild,
  getLatestDataExport,
  getOwnDataExport,
  listExpiredDataExports,
  markDataExportBlobDeleted,
  markDataExportFailed,
  markDataExportReady,
  markDataExportRunning,
  recordDataExportProgress,
  requestDataExport,
  toDataExportView,
  type DataExportView,
} from "./exports/data-export-records";
export { createExportLinks, EXPORT_LINK_PATH, exportDownloadPath, type ExportLinks } from "./exports/export-links";
export { DEFAULT_EXPORT_DOWNLOAD_DAYS, exportExpiry, exportFileName } from "./exports/export-settings";
export { resolveExportDownload, type ExportDownload } from "./exports/resolve-export-download";
