import type { ColumnType, Selectable } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type PolicyAcceptanceSource = "sign_up" | "acknowledge";
export type MarketingConsentChannel = "settings" | "unsubscribe_link";

/** Which policy version a person accepted and when (owned by @animateimg/privacy). */
export interface PrivacyPolicyAcceptancesTable {
  user_id: string;
  policy_version: string;
  accepted_at: Timestamp;
  source: PolicyAcceptanceSource;
}

/** Marketing email consent; no row = not opted in (owned by @animateimg/privacy). */
export interface MarketingEmailConsentsTable {
  user_id: string;
  opted_in: boolean;
  changed_at: Timestamp;
  changed_via: MarketingConsentChannel;
}

export type PolicyAcceptanceRow = Selectable<PrivacyPolicyAcceptancesTable>;

export interface PrivacyTables {
  privacy_policy_acceptances: PrivacyPolicyAcceptancesTable;
  marketing_email_consents: MarketingEmailConsentsTable;
}
