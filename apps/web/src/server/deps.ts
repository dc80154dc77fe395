import "server-only";
import { createSessionResolver, type ApiDependencies } from "@animateimg/api";
import { temporalConnectionFromEnv } from "@animateimg/config";
import { createMailer } from "@animateimg/email";
import { createDb } from "@animateimg/db";
import { createGenerationEvents } from "@animateimg/generations";
import { paymentsFromEnv } from "@animateimg/payments";
import { createStorageFromEnv } from "@animateimg/storage";
import { createUnsubscribeTokens, currentPrivacyPolicy, deriveUnsubscribeSecret } from "@animateimg/privacy";
import { DEFAULT_PRIVACY_CONTACT } from "@animateimg/api";
import { createOrchestrator, createTemporalClientSource } from "@animateimg/workflows/orchestrator";
import { defaultAccountDeletionSettings } from "@animateimg/account-deletion";
import { env } from "~/env";
import { getProviderRegistry } from "./provider-registry";

/**
 * One pool and one Temporal orchestrator (over one connection) per process, never per request;
 * the tRPC context, the REST API and the webhook routes all reach Temporal through it. Kept on globalThis so
 * Next's dev server does not open a new pool on every hot reload.
 */
const globalForDeps = globalThis as unknown as { animateimgDeps?: ApiDependencies };

function createDependencies(): ApiDependencies {
  // Reconnects within seconds of Temporal coming back (see createTemporalClientSource).
  const temporal = createTemporalClientSource(temporalConnectionFromEnv(env));
  const orchestrator = createOrchestrator({ client: () => temporal.get(), taskQueue: env.TEMPORAL_TASK_QUEUE });
  const db = createDb({ url: env.DATABASE_URL });
  const uploads = createStorageFromEnv(env);
  return {
    db,
    orchestrator,
    temporalAddress: env.TEMPORAL_ADDRESS,
    resolveSession: createSessionResolver(db),
    accounts: createAccountDependencies(db),
    // Storage misconfiguration stops the first request with a line naming the variable.
    uploads,
    generations: {
      // One LISTEN connection for every live status stream of this process.
      events: createGenerationEvents({ databaseUrl: env.DATABASE_URL }),
      blobUrls: { urlFor: (grant) => `/api/blobs/${uploads.signer.sign(grant).token}` },
      // A remote provider is enabled where its credentials are set.
      enabledProviders: new Set(getProviderRegistry().enabled),
    },
    payments: { ...paymentsFromEnv(env), appUrl: env.APP_URL, databaseUrl: env.DATABASE_URL },
    accountDeletion: {
      settings: { ...defaultAccountDeletionSettings, gracePeriodMs: env.ACCOUNT_DELETION_GRACE_DAYS * 24 * 3600_000 },
    },
    // Webhook endpoint URLs: https on public addresses; loopback http only where the dev/test setting allows it.
    webhooks: { policy: { allowLocalHttp: env.WEBHOOKS_ALLOW_LOCAL_HTTP } },
    privacy: {
      policy: currentPrivacyPolicy(),
      contactEmail: env.PRIVACY_CONTACT_EMAIL ?? DEFAULT_PRIVACY_CONTACT,
      unsubscribeTokens: createUnsubscribeTokens({
        secret: env.UNSUBSCRIBE_SECRET ?? deriveUnsubscribeSecret(env.BLOB_URL_SECRET),
      }),
    },
  };
}

function createAccountDependencies(db: ApiDependencies["db"]): NonNullable<ApiDependencies["accounts"]> {
  const secret = (id: string | undefined, value: string | undefined) =>
    id && value ? { clientId: id, clientSecret: value } : undefined;
  const github = secret(env.GITHUB_CLIENT_ID, env.GITHUB_CLIENT_SECRET);
  const google = secret(env.GOOGLE_CLIENT_ID, env.GOOGLE_CLIENT_SECRET);
  return {
    mailer: createMailer({ db, smtpUrl: env.SMTP_URL, from: env.EMAIL_FROM }),
    appUrl: env.APP_URL,
    welcomeCredits: env.WELCOME_CREDITS,
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    // `npm start`'s production build is served over plain http on this machine (LOCAL_INSTANCE).
    secureCookies: env.NODE_ENV === "production" && !env.LOCAL_INSTANCE,
    oauth: {
      appUrl: env.APP_URL,
      github: github && { ...github, webBaseUrl: env.GITHUB_OAUTH_BASE_URL, apiBaseUrl: env.GITHUB_API_BASE_URL },
      google: google && {
        ...google,
        authorizeUrl: env.GOOGLE_OAUTH_AUTHORIZE_URL,
        tokenUrl: env.GOOGLE_OAUTH_TOKEN_URL,
      },
    },
  };
}

export function getDependencies(): ApiDependencies {
  globalForDeps.animateimgDeps ??= createDependencies();
  return globalForDeps.animateimgDeps;
}
