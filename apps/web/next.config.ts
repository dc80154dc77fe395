import type { NextConfig } from "next";

const config: NextConfig = {
  // Internal packages ship TypeScript source; Next compiles them.
  transpilePackages: ["@animateimg/api", "@animateimg/db", "@animateimg/config", "@animateimg/workflows"],
  // Native/gRPC code stays a plain Node require instead of being bundled.
  serverExternalPackages: ["@temporalio/client", "@temporalio/common", "@temporalio/proto", "@grpc/grpc-js", "pg"],
  typedRoutes: false,
  devIndicators: false,
};

export default config;
