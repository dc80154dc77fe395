import { z } from "zod";
import { databaseEnv, loadEnvOrExit, temporalEnv, urlWithProtocol } from "@animateimg/config";
import { storageEnv } from "@animateimg/storage";

const schema = databaseEnv.extend(temporalEnv.shape).extend(storageEnv.shape).extend({
  // Uploads (issue 5): the web app signs blob URLs, so its secret is required here.
  BLOB_URL_SECRET: storageEnv.shape.BLOB_URL_SECRET.unwrap(),
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  // Accounts (issue 3): public URL for email links, OAuth callbacks and the Origin check.
  APP_URL: urlWithProtocol("http:", "https:").default("http://localhost:3000"),
  SMTP_URL: urlWithProtocol("smtp:", "smtps:").optional(),
  EMAIL_FROM: z.string().min(3).default("AnimateImg <no-reply@animateimg.local>"),
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  GITHUB_OAUTH_BASE_URL: urlWithProtocol("http:", "https:").default("https://github.com"),
  GITHUB_API_BASE_URL: urlWithProtocol("http:", "https:").default("https://api.github.com"),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  GOOGLE_OAUTH_AUTHORIZE_URL: urlWithProtocol("http:", "https:").default("https://accounts.google.com/o/oauth2/v2/auth"),
  GOOGLE_OAUTH_TOKEN_URL: urlWithProtocol("http:", "https:").default("https://oauth2.googleapis.com/token"),
});

/** Server-only: importing this from a client component would leak nothing, but fail to build. */
export const env = loadEnvOrExit(schema, process.env);
