import type { ProviderId } from "@animateimg/catalog";

/** Where a provider should call back: the web app's route for it. Carries no user data. */
export function providerWebhookUrl(publicBaseUrl: string, provider: Exclude<ProviderId, "local">): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/api/webhooks/${provider}`;
}
