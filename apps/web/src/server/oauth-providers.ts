import "server-only";
import { enabledOAuthProviders } from "@animateimg/auth";
import { getDependencies } from "./deps";

export function getEnabledOAuthProviders(): Array<"github" | "google"> {
  const accounts = getDependencies().accounts;
  return accounts ? enabledOAuthProviders(accounts.oauth) : [];
}
