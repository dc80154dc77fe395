import { getPreferences } from "~/i18n/server";
import { AppearanceSection } from "./appearance-section";

/** Server side of Settings → Appearance: reads the remembered theme for the radio buttons. */
export async function AppearanceSettings() {
  const { theme } = await getPreferences();
  return <AppearanceSection theme={theme} />;
}
