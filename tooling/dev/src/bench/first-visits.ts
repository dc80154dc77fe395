// The first visit of every page of apps/web (app-pages.ts), as a browser makes it right after
// start-up: the document, then every script and stylesheet it names that an earlier page did not
// already bring (a browser's cache); then a second visit of each document, which tells what the
// first one spent loading code from what rendering costs every time.
import type { PageToVisit, Visitor } from "../app-pages";

export interface FirstVisit {
  route: string;
  as: Visitor;
  status: number;
  /** Where a redirect pointed (the page's own answer; not followed). */
  location?: string;
  documentMs: number;
  assets: number;
  assetsMs: number;
  /** Document plus the assets it needed that were not cached yet. */
  totalMs: number;
  /** The same document again, once every page had its first visit. */
  secondVisitMs: number;
}

/** Signs in over the app's own tRPC endpoint, as the sign-in page does; returns the Cookie header. */
export async function signIn(origin: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${origin}/api/trpc/auth.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ json: { email, password } }),
  });
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("animateimg_session="));
  if (!response.ok || !cookie)
    throw new Error(`sign-in as ${email} failed (${response.status}): ${(await response.text()).slice(0, 500)}`);
  return cookie.split(";")[0]!;
}

const ASSET = /(?:src|href)="(\/_next\/static\/[^"]+\.(?:js|css))"/g;

export async function measureFirstVisits({
  origin,
  pages,
  cookies,
}: {
  origin: string;
  pages: PageToVisit[];
  cookies: Record<Exclude<Visitor, "anonymous">, string>;
}): Promise<FirstVisit[]> {
  const cached = new Set<string>();
  const results: FirstVisit[] = [];
  for (const page of pages) {
    const headers: Record<string, string> = { accept: "text/html" };
    if (page.as !== "anonymous") headers.cookie = cookies[page.as];
    const started = performance.now();
    const response = await fetch(`${origin}${page.path}`, { headers, redirect: "manual" });
    const html = await response.text();
    const documentMs = performance.now() - started;
    const location = response.headers.get("location") ?? undefined;
    if (response.status >= 500)
      throw new Error(`${page.path} answered ${response.status} on its first visit: ${html.slice(0, 300)}`);
    if (page.as !== "anonymous" && location?.startsWith("/sign-in"))
      throw new Error(`${page.path} sent ${page.as} to sign in: the session did not hold`);
    // A browser loads what the page names, six at a time per host, once.
    const wanted = [...new Set([...html.matchAll(ASSET)].map((match) => match[1]!))].filter(
      (asset) => !cached.has(asset),
    );
    const assetsStarted = performance.now();
    for (let i = 0; i < wanted.length; i += 6) {
      await Promise.all(
        wanted.slice(i, i + 6).map(async (asset) => {
          const answer = await fetch(`${origin}${asset}`);
          await answer.arrayBuffer();
          if (!answer.ok) throw new Error(`${asset} (named by ${page.path}) answered ${answer.status}`);
          cached.add(asset);
        }),
      );
    }
    const assetsMs = performance.now() - assetsStarted;
    results.push({
      route: page.route,
      as: page.as,
      status: response.status,
      ...(location ? { location } : {}),
      documentMs: Math.round(documentMs),
      assets: wanted.length,
      assetsMs: Math.round(assetsMs),
      totalMs: Math.round(documentMs + assetsMs),
      secondVisitMs: 0,
    });
  }
  for (const [index, page] of pages.entries()) {
    const headers: Record<string, string> = { accept: "text/html" };
    if (page.as !== "anonymous") headers.cookie = cookies[page.as];
    const started = performance.now();
    await (await fetch(`${origin}${page.path}`, { headers, redirect: "manual" })).arrayBuffer();
    results[index]!.secondVisitMs = Math.round(performance.now() - started);
  }
  return results;
}
