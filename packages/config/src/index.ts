export { ConfigError, loadEnvOrExit, parseEnv } from "./parse-env";
export { databaseEnv, hostPort, paymentsEnv, port, providerConfigEnv, temporalEnv, urlWithProtocol } from "./fragments";
