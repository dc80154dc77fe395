import type { Db } from "@animateimg/db";
import type { AccountDependencies } from "../auth/account-dependencies";
import type { PrivacyDependencies } from "../privacy/privacy-dependencies";
import type { AccountDeletionDependencies } from "../account-deletion/account-deletion-dependencies";
import { createSessionResolver } from "../auth/session-resolver";
import { createCaller } from "../root";
import { createTRPCContext } from "../trpc";
import { PEER_ADDRESS_HEADER } from "@animateimg/auth";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

/**
 * A browser for tests: a cookie jar, a User-Agent and an IP, calling procedures through the
 * real context (session resolved from the Cookie header, Set-Cookie applied after each call).
 */
export interface TestBrowser {
  cookies: Map<string, string>;
  /** Runs `fn` with a caller whose context carries this browser's cookies. */
  call<T>(fn: (caller: ReturnType<typeof createCaller>) => Promise<T>): Promise<T>;
  sessionToken(): string | undefined;
  lastSetCookies: string[];
}

export function createTestBrowser(
  db: Db,
  options: {
    accounts: AccountDependencies;
    privacy?: PrivacyDependencies;
    accountDeletion?: AccountDeletionDependencies;
    userAgent?: string;
    ip?: string;
  },
): TestBrowser {
  const cookies = new Map<string, string>();
  const browser: TestBrowser = {
    cookies,
    lastSetCookies: [],
    sessionToken: () => cookies.get("animateimg_session"),
    call: async (fn) => {
      const headers = new Headers({
        "user-agent":
          options.userAgent ??
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        [PEER_ADDRESS_HEADER]: options.ip ?? "203.0.113.10",
      });
      if (cookies.size > 0) {
        headers.set("cookie", [...cookies].map(([name, value]) => `${name}=${value}`).join("; "));
      }
      const responseHeaders = new Headers();
      const ctx = await createTRPCContext({
        deps: {
          db,
          orchestrator: createOrchestrator({
            client: () => Promise.reject(new Error("Temporal is not used by account tests")),
            taskQueue: "unused",
          }),
          resolveSession: createSessionResolver(db),
          accounts: options.accounts,
          ...(options.privacy ? { privacy: options.privacy } : {}),
          ...(options.accountDeletion ? { accountDeletion: options.accountDeletion } : {}),
        },
        headers,
        responseHeaders,
      });
      try {
        return await fn(createCaller(ctx));
      } finally {
        browser.lastSetCookies = responseHeaders.getSetCookie();
        for (const line of browser.lastSetCookies) {
          const [pair, ...attributes] = line.split(";").map((part) => part.trim());
          const index = pair!.indexOf("=");
          const name = pair!.slice(0, index);
          const value = pair!.slice(index + 1);
          const cleared = attributes.some((a) => a.toLowerCase() === "max-age=0") || value === "";
          if (cleared) cookies.delete(name);
          else cookies.set(name, value);
        }
      }
    },
  };
  return browser;
}
