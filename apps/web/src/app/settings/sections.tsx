import type { ReactNode } from "react";
import type { AccountOverview } from "@animateimg/auth";
import { EmailSection } from "~/components/auth/settings/email-section";
import { PasswordSection } from "~/components/auth/settings/password-section";
import { ProfileSection } from "~/components/auth/settings/profile-section";
import { ProvidersSection } from "~/components/auth/settings/providers-section";
import { SessionsSection } from "~/components/auth/settings/sessions-section";
import { AppearanceSettings } from "./appearance/appearance-settings";

export interface SettingsContext {
  account: AccountOverview;
  oauthProviders: Array<"github" | "google">;
  params: Record<string, string | undefined>;
}

export interface SettingsSection {
  id: string;
  label: string;
  render: (context: SettingsContext) => ReactNode;
}

/**
 * Settings are a list of sections (one tab each). Later issues add theirs (appearance,
 * language, billing) by appending here.
 */
export const settingsSections: SettingsSection[] = [
  { id: "profile", label: "Profile", render: ({ account }) => <ProfileSection name={account.name} /> },
  {
    id: "email",
    label: "Email",
    render: ({ account }) => (
      <EmailSection email={account.email} emailVerified={account.emailVerified} hasPassword={account.hasPassword} />
    ),
  },
  { id: "password", label: "Password", render: ({ account }) => <PasswordSection hasPassword={account.hasPassword} /> },
  { id: "sessions", label: "Sessions", render: () => <SessionsSection /> },
  {
    id: "providers",
    label: "Linked accounts",
    render: ({ account, oauthProviders, params }) => (
      <ProvidersSection
        linked={account.linkedProviders}
        available={oauthProviders}
        message={params.linked ? `Linked ${params.linked === "github" ? "GitHub" : "Google"}.` : null}
        error={params.error ?? null}
      />
    ),
  },
  // Workspace UI (issue 6): theme and language.
  { id: "appearance", label: "Appearance", render: () => <AppearanceSettings /> },
];
