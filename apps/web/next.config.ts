import type { NextConfig } from "next";

const config: NextConfig = {
  // Lets a test run its own dev server beside a developer's without sharing build output.
  // eslint-disable-next-line no-restricted-properties -- read at build time, before env.ts exists
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Internal packages ship TypeScript source; Next compiles them.
  transpilePackages: ["@animateimg/api", "@animateimg/db", "@animateimg/config", "@animateimg/workflows", "@animateimg/auth", "@animateimg/email", "@animateimg/rate-limit", "@animateimg/core"],
  // Native/gRPC code stays a plain Node require instead of being bundled.
  serverExternalPackages: ["@temporalio/client", "@temporalio/common", "@temporalio/proto", "@grpc/grpc-js", "pg", "@node-rs/argon2", "nodemailer"],
  typedRoutes: false,
  devIndicators: false,
};

export default config;
