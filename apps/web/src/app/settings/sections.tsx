import type { ReactNode } from "react";
import type { MessageKey, Translate } from "~/i18n/translate";
import type { AccountOverview } from "@animateimg/auth";
import { EmailSection } from "~/components/auth/settings/email-section";
import { PasswordSection } from "~/components/auth/settings/password-section";
import { ProfileSection } from "~/components/auth/settings/profile-section";
import { ProvidersSection } from "~/components/auth/settings/providers-section";
import { SessionsSection } from "~/components/auth/settings/sessions-section";
import { AppearanceSettings } from "./appearance/appearance-settings";
import { ApiKeysSection } from "~/components/developer/api-keys-section";
import { UsageSection } from "~/components/developer/usage-section";
import { WebhooksSection } from "~/components/developer/webhooks-section";
import { BillingSettings } from "~/components/billing/billing-settings";
import { PrivacySettings } from "~/components/privacy/privacy-settings";
import { DeleteAccountSection } from "~/components/account-deletion/delete-account-section";
import { DataExportSettings } from "~/components/data-export/data-export-settings";

export interface SettingsContext {
  account: AccountOverview;
  oauthProviders: Array<"github" | "google">;
  params: Record<string, string | undefined>;
  /** A refusal the page was sent back with (a refused account link), in the reader's language. */
  redirectError: string | null;
  t: Translate;
}

export interface SettingsSection {
  id: string;
  /** A dictionary key: the page shows it in the reader's language. */
  label: MessageKey;
  render: (context: SettingsContext) => ReactNode;
}

/**
 * Settings are a list of sections (one tab each). Later issues add theirs (appearance,
 * language, billing) by appending here.
 */
export const settingsSections: SettingsSection[] = [
  { id: "profile", label: "settings.profile", render: ({ account }) => <ProfileSection name={account.name} /> },
  {
    id: "email",
    label: "settings.email",
    render: ({ account }) => (
      <EmailSection email={account.email} emailVerified={account.emailVerified} hasPassword={account.hasPassword} />
    ),
  },
  {
    id: "password",
    label: "settings.password",
    render: ({ account }) => <PasswordSection hasPassword={account.hasPassword} />,
  },
  { id: "sessions", label: "settings.sessions", render: () => <SessionsSection /> },
  {
    id: "providers",
    label: "settings.providers",
    render: ({ account, oauthProviders, params, redirectError, t }) => (
      <ProvidersSection
        linked={account.linkedProviders}
        available={oauthProviders}
        message={
          params.linked
            ? t("settings.linkedMessage", { provider: params.linked === "github" ? "GitHub" : "Google" })
            : null
        }
        error={redirectError}
      />
    ),
  },
  // Workspace UI (issue 6): theme and language.
  { id: "appearance", label: "appearance.title", render: () => <AppearanceSettings /> },
  // Developer API (issue 18): keys, webhooks, usage.
  { id: "api-keys", label: "developer.keysTitle", render: () => <ApiKeysSection /> },
  { id: "webhooks", label: "webhooks.title", render: () => <WebhooksSection /> },
  { id: "usage", label: "usage.title", render: () => <UsageSection /> },
  // Payments (issue 13): plan, next renewal, Manage billing, credit history with receipts.
  { id: "billing", label: "billing.title", render: ({ params }) => <BillingSettings checkout={params.checkout} /> },
  // Privacy (issue 12): the policy accepted, marketing email opt-in.
  { id: "privacy", label: "privacy.settingsTitle", render: () => <PrivacySettings /> },
  // Account deletion (issue 12): re-authentication, grace period, cancel.
  {
    id: "delete-account",
    label: "deletion.title",
    render: ({ account, oauthProviders }) => (
      <DeleteAccountSection
        signInProviders={oauthProviders.filter((provider) =>
          account.linkedProviders.some((linked) => linked.provider === provider),
        )}
      />
    ),
  },
  // Data export (issue 12): one ZIP of everything the account holds, with live progress.
  { id: "data-export", label: "dataExport.title", render: () => <DataExportSettings /> },
];
