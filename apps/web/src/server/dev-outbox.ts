import { headers } from "next/headers";
import { PEER_ADDRESS_HEADER } from "@animateimg/auth";
import { listOutbox, type OutboxMessage } from "@animateimg/email";
import { env } from "~/env";
import { getDependencies } from "./deps";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Development only: the emails the app "sent" while no SMTP server is configured. They hold live
 * sign-in and reset links, so only a browser on this machine may read them (the peer address our
 * server records; without it, nobody). Not a tRPC procedure on purpose: nothing reachable over
 * HTTP may list other people's mail. `null` means "this page does not exist here".
 */
export async function readDevOutbox(): Promise<OutboxMessage[] | null> {
  // A production build serves it only as `npm start` runs it, on this machine (LOCAL_INSTANCE).
  if (env.NODE_ENV === "production" && !env.LOCAL_INSTANCE) return null;
  const peer = (await headers()).get(PEER_ADDRESS_HEADER) ?? "";
  if (!LOOPBACK.test(peer)) return null;
  return listOutbox(getDependencies().db, { limit: 50 });
}
