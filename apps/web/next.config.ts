import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { NextConfig } from "next";

function internalPackages(): string[] {
  const root = path.join(import.meta.dirname, "../../packages");
  // A deployed copy (`pnpm deploy`, the container image) only serves a finished build: there is
  // nothing left to compile and no packages folder beside it.
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((dir) => existsSync(path.join(root, dir, "package.json")))
    .map((dir) => (JSON.parse(readFileSync(path.join(root, dir, "package.json"), "utf8")) as { name: string }).name);
}

const config: NextConfig = {
  // Lets a test run its own dev server beside a developer's without sharing build output.
  // eslint-disable-next-line no-restricted-properties -- read at build time, before env.ts exists
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Internal packages ship TypeScript source; Next compiles them. Listed from the folder so a
  // new package can never be forgotten here.
  transpilePackages: internalPackages(),
  // Native/gRPC code stays a plain Node require instead of being bundled.
  serverExternalPackages: [
    "@temporalio/client",
    "@temporalio/common",
    "@temporalio/proto",
    "@grpc/grpc-js",
    "pg",
    "@node-rs/argon2",
    "nodemailer",
    "sharp",
    "heic-decode",
    "libheif-js",
    "uploadthing",
    "@aws-sdk/client-s3",
    "@aws-sdk/lib-storage",
    "stripe",
    "creem",
  ],
  typedRoutes: false,
  devIndicators: false,
};

export default config;
