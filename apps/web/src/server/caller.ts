import { headers } from "next/headers";
import { createCaller, createTRPCContext } from "@animateimg/api";
import { getDependencies } from "./deps";

/**
 * The tRPC procedures, called in-process from a server component with the request's headers
 * (cookie, peer address). Pages reach domain code only this way (the "pages-reach-domain-through-api"
 * boundary in .dependency-cruiser.cjs), so a page gets the same checks, owner scoping and output
 * validation as the browser does.
 */
export async function getServerCaller() {
  return createCaller(await createTRPCContext({ deps: getDependencies(), headers: new Headers(await headers()) }));
}
