export { ConfigError, loadEnvOrExit, parseEnv } from "./parse-env";
export { databaseEnv, hostPort, port, temporalEnv, urlWithProtocol } from "./fragments";
