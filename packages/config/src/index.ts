export { ConfigError, loadEnvOrExit, parseEnv } from "./parse-env";
export { databaseEnv, hostPort, loggingEnv, paymentsEnv, port, providerConfigEnv, urlWithProtocol } from "./fragments";
export {
  checkTemporalConnection,
  describeTemporalConnection,
  parsePayloadKeys,
  temporalConnectionFromEnv,
  temporalEnv,
  type PayloadKeyRing,
  type TemporalConnectionSettings,
} from "./temporal-connection";
