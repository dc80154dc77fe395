export { ConfigError, loadEnvOrExit, parseEnv } from "./parse-env";
export {
  checkWebhooksEnv,
  databaseEnv,
  hostPort,
  loggingEnv,
  optionalFlag,
  optionalSecret,
  optionalUrl,
  paymentsEnv,
  port,
  urlWithProtocol,
  webhooksEnv,
} from "./fragments";
export {
  checkTemporalConnection,
  describeTemporalConnection,
  parsePayloadKeys,
  temporalConnectionFromEnv,
  temporalEnv,
  type PayloadKeyRing,
  type TemporalConnectionSettings,
} from "./temporal-connection";
