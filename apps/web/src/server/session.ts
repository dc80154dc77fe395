import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import type { AuthSession } from "@animateimg/api";
import { getDependencies } from "./deps";

/** The signed-in session for this request (once per render), or null. */
export const getCurrentSession = cache(async (): Promise<AuthSession | null> => {
  const cookieStore = await cookies();
  const requestHeaders = new Headers(await headers());
  requestHeaders.set("cookie", cookieStore.toString());
  return getDependencies().resolveSession(requestHeaders);
});
