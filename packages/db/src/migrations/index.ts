import type { Migration, MigrationProvider } from "kysely/migration";
import * as m20261129_0001 from "./2026_11_29_0001_users";
import * as m20261129_0100 from "./2026_11_29_0100_accounts";
import * as m20261129_0101 from "./2026_11_29_0101_rate_limits";
import * as m20261129_0102 from "./2026_11_29_0102_email_outbox";
import * as m20261129_0200 from "./2026_11_29_0200_assets";
import * as m20261129_0300 from "./2026_11_29_0300_credits_and_generations";
import * as m20261129_0400 from "./2026_11_29_0400_provider_webhook_events";
import * as m20261201_1000 from "./2026_12_01_1000_durability";
import * as m20261201_1300 from "./2026_12_01_1300_payments";
import * as m20261201_1800 from "./2026_12_01_1800_api_keys";
import * as m20261202_1000 from "./2026_12_02_1000_retention_cursors";
import * as m20261201_1100 from "./2026_12_01_1100_generation_request_hash";
import * as m20261202_0200 from "./2026_12_02_0200_privacy";
import * as m20261202_0600 from "./2026_12_02_0600_unclaimed_provider_jobs";
import * as m20261202_1100 from "./2026_12_02_1100_account_deletion";
import * as m20261202_1200 from "./2026_12_02_1200_data_exports";
import * as m20261202_1300 from "./2026_12_02_1300_webhooks";
import * as m20261202_1500 from "./2026_12_02_1500_debt_reasons";
import * as m20261203_0500 from "./2026_12_03_0500_generation_status_codes";
import * as m20261203_0600 from "./2026_12_03_0600_user_locale";
import * as m20261203_0100 from "./2026_12_03_0100_generation_removal_indexes";
import * as m20261203_0300 from "./2026_12_03_0300_ledger_hot_path";

/**
 * Migrations are listed here rather than read from the folder at run time, so they bundle
 * into the web app and the worker alike. Names are their file names: order is by name.
 */
const migrations: Record<string, Migration> = {
  "2026_11_29_0001_users": m20261129_0001,
  "2026_11_29_0100_accounts": m20261129_0100,
  "2026_11_29_0101_rate_limits": m20261129_0101,
  "2026_11_29_0102_email_outbox": m20261129_0102,
  "2026_11_29_0200_assets": m20261129_0200,
  "2026_11_29_0300_credits_and_generations": m20261129_0300,
  "2026_11_29_0400_provider_webhook_events": m20261129_0400,
  "2026_12_01_1000_durability": m20261201_1000,
  "2026_12_01_1300_payments": m20261201_1300,
  "2026_12_01_1800_api_keys": m20261201_1800,
  "2026_12_02_1000_retention_cursors": m20261202_1000,
  "2026_12_01_1100_generation_request_hash": m20261201_1100,
  "2026_12_02_0200_privacy": m20261202_0200,
  "2026_12_02_0600_unclaimed_provider_jobs": m20261202_0600,
  "2026_12_02_1100_account_deletion": m20261202_1100,
  "2026_12_02_1200_data_exports": m20261202_1200,
  "2026_12_02_1300_webhooks": m20261202_1300,
  "2026_12_02_1500_debt_reasons": m20261202_1500,
  "2026_12_03_0500_generation_status_codes": m20261203_0500,
  "2026_12_03_0100_generation_removal_indexes": m20261203_0100,
  "2026_12_03_0300_ledger_hot_path": m20261203_0300,
  "2026_12_03_0600_user_locale": m20261203_0600,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
