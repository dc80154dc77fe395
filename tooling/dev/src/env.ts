import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { hostPort, loadEnvOrExit, port, urlWithProtocol } from "@animateimg/config";

export const repoRoot = path.resolve(import.meta.dirname, "../../..");

// A developer's .env (copied from .env.example) fills in what the shell does not set.
const dotenv = path.join(repoRoot, ".env");
if (existsSync(dotenv)) process.loadEnvFile(dotenv);

const schema = z.object({
  DATABASE_URL: urlWithProtocol("postgres:", "postgresql:").optional(),
  DATABASE_NAME: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default("animateimg"),
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default("default"),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default("animateimg"),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  // Encrypts workflow payloads; a dev key is generated into the data folder when unset.
  TEMPORAL_PAYLOAD_KEYS: z.string().optional(),
  ANIMATEIMG_DATA_DIR: z.string().default(path.join(repoRoot, ".data")),
  WEB_PORT: port.default(3000),
  DEMO_USER_EMAIL: z.email().default("demo@animateimg.local"),
  DEMO_USER_PASSWORD: z.string().min(8).default("animate-demo"),
  // An administrator seeded (or promoted) on every start when both are set.
  ADMIN_EMAIL: z.email().optional(),
  // Public URL of the web app (email links, OAuth callbacks); defaults to http://localhost:WEB_PORT.
  APP_URL: z.url().optional(),
  ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
  // Storage: passed on to the web app and the worker; local encrypted disk when unset.
  S3_BUCKET: z.string().optional(),
  UPLOADTHING_TOKEN: z.string().optional(),
  STORAGE_LOCAL_ROOT: z.string().optional(),
  STORAGE_ENCRYPTION_KEYS: z.string().optional(),
  BLOB_URL_SECRET: z.string().optional(),
  // Payments: with no key for the chosen processor, npm start runs its local fake.
  PAYMENTS_PROVIDER: z.enum(["stripe", "creem"]).default("stripe"),
  STRIPE_SECRET_KEY: z.string().optional(),
  CREEM_API_KEY: z.string().optional(),
  // The Next build folder (apps/web-relative); default .next for `npm start`, .next-dev for `pnpm dev`.
  NEXT_DIST_DIR: z.string().min(1).optional(),
  // The prebuilt workflow bundle `npm start` writes and the worker loads (default apps/worker/dist/workflow-bundle.js).
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
});

export const env = loadEnvOrExit(schema, process.env);
