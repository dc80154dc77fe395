export { ConfigError, loadEnvOrExit, parseEnv } from "./parse-env";
export { databaseEnv, hostPort, port, providerConfigEnv, temporalEnv, urlWithProtocol } from "./fragments";
