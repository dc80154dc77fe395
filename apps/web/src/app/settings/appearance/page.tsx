import { redirect } from "next/navigation";

/** Appearance lives as a section of Settings; this address is kept for links and bookmarks. */
export default function AppearancePage() {
  redirect("/settings?section=appearance");
}
