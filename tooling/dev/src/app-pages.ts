// Every page of apps/web, read from apps/web/src/app (every page.tsx), so a new page is never
// forgotten: `npm start` loads each once before it says the app is up (dev.ts), and
// `pnpm bench:startup` times each one's first visit. How to visit one (signed out, as the demo
// user, as the administrator, with which sample URL) is said below; signed in when unsaid.
import { readdirSync } from "node:fs";
import path from "node:path";

export type Visitor = "anonymous" | "demo" | "admin";

const appDir = path.resolve(import.meta.dirname, "../../../apps/web/src/app");

/** How to visit the pages that are not "signed in as the demo user, at their own path". */
const visits: Record<string, { as: Visitor; path?: string }> = {
  "/": { as: "anonymous" },
  "/sign-in": { as: "anonymous" },
  "/sign-up": { as: "anonymous" },
  "/forgot-password": { as: "anonymous" },
  "/reset-password": { as: "anonymous" },
  "/verify-email": { as: "anonymous" },
  "/pricing": { as: "anonymous" },
  "/privacy": { as: "anonymous" },
  "/status": { as: "anonymous" },
  "/dev/outbox": { as: "anonymous" },
  "/unsubscribe/[token]": { as: "anonymous", path: "/unsubscribe/bench-not-a-real-token" },
  "/admin/providers": { as: "admin" },
  "/admin/child-report": { as: "admin" },
};

export interface PageToVisit {
  route: string;
  path: string;
  as: Visitor;
}

/** Every page.tsx under apps/web/src/app as a route ("(group)" folders are not in the URL). */
export function pagesOfTheApp(): PageToVisit[] {
  const routes: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name === "api" && segments.length === 0) continue;
        walk(path.join(dir, entry.name), /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]);
      } else if (entry.name === "page.tsx") {
        routes.push(`/${segments.join("/")}`);
      }
    }
  };
  walk(appDir, []);
  return routes.sort().map((route) => {
    const how = visits[route];
    return { route, path: how?.path ?? route.replace(/\[[^\]]+\]/g, "bench-sample"), as: how?.as ?? "demo" };
  });
}

/**
 * Requests every page once, a few at a time, as its visitors would: a production server loads a
 * page's code on its first request, and the code of the client components it renders on their
 * first render, so a signed-in page is asked for with a session (`cookie`) and a public one
 * without. Afterwards a person's first visit of any page finds it loaded. Returns how many.
 */
export async function loadEveryPageOnce(origin: string, cookie: string): Promise<number> {
  const pages = pagesOfTheApp();
  for (let i = 0; i < pages.length; i += 4) {
    await Promise.all(
      pages.slice(i, i + 4).map((page) =>
        fetch(`${origin}${page.path}`, { redirect: "manual", headers: page.as === "anonymous" ? {} : { cookie } })
          .then((response) => response.arrayBuffer())
          // A page that fails here fails for its visitor too, with its own error; not start-up's.
          .catch(() => undefined),
      ),
    );
  }
  return pages.length;
}
