export {
  buildExportArchive,
  type BuildExportArchiveOptions,
  type BuiltExportArchive,
  type ExportArchiveEntry,
} from "./archive/build-export-archive";
