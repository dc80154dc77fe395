import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import type { LookupAddress } from "node:dns";

// Endpoint URLs are chosen by users and fetched by our servers: without care, a webhook is a
// way to make us POST into our own network (SSRF). So an endpoint must be https, and every
// address its name resolves to must be a public one: checked when it is saved and again at
// each delivery (the sender connects only to addresses this check passed, so a name that
// changes its answer after the first check gains nothing).

export interface EndpointUrlPolicy {
  /**
   * Development and tests only (WEBHOOKS_ALLOW_LOCAL_HTTP; refused in production): http:// is
   * accepted and loopback addresses (127.0.0.1, ::1) are allowed, for a receiver on this
   * machine. Every other private range stays refused.
   */
  allowLocalHttp: boolean;
}

export const productionUrlPolicy: EndpointUrlPolicy = { allowLocalHttp: false };

const forbidden = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  forbidden.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64 can reach private IPv4 behind it
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  forbidden.addSubnet(network, prefix, "ipv6");
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** An IPv4 address written inside IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address. */
function normalise(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: "ipv4" };
  return { address, family: isIP(address) === 6 ? "ipv6" : "ipv4" };
}

export function isLoopbackAddress(address: string): boolean {
  const { address: plain, family } = normalise(address);
  return loopback.check(plain, family);
}

/** Whether our servers may connect to this address under the policy. */
export function isAllowedAddress(address: string, policy: EndpointUrlPolicy): boolean {
  const { address: plain, family } = normalise(address);
  if (policy.allowLocalHttp && loopback.check(plain, family)) return true;
  return !forbidden.check(plain, family);
}

export type UrlRefusal = "invalid_url" | "https_required" | "credentials_in_url" | "unresolvable" | "private_address";

export class RefusedAddressError extends Error {
  readonly code = "EWEBHOOKADDRESS";
  constructor(readonly host: string) {
    super(`${host} resolves to an address webhooks may not be sent to.`);
  }
}

const refusalMessages: Record<UrlRefusal, string> = {
  invalid_url: "Enter a full URL, e.g. https://example.com/webhooks.",
  https_required: "The endpoint must use https://.",
  credentials_in_url: "Leave user names and passwords out of the URL; verify our signature instead.",
  unresolvable: "That host name could not be found.",
  private_address:
    "That URL points at a private, loopback or link-local address; webhooks go to public addresses only.",
};

export function urlRefusalMessage(reason: UrlRefusal): string {
  return refusalMessages[reason];
}

export type ResolveHost = (host: string) => Promise<LookupAddress[]>;
const systemResolve: ResolveHost = (host) => lookup(host, { all: true, verbatim: true });

/** Checks an endpoint URL as entered: its scheme, then every address its host resolves to. */
export async function checkEndpointUrl(
  raw: string,
  policy: EndpointUrlPolicy,
  resolve: ResolveHost = systemResolve,
): Promise<{ ok: true; url: URL } | { ok: false; reason: UrlRefusal }> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: "invalid_url" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "invalid_url" };
  if (url.username || url.password) return { ok: false, reason: "credentials_in_url" };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (url.protocol === "http:") {
    // Plain http only to this machine, and only where the setting allows it.
    const local = policy.allowLocalHttp && (isIP(host) ? isLoopbackAddress(host) : host === "localhost");
    if (!local) return { ok: false, reason: "https_required" };
  }
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await resolve(host)).map((entry) => entry.address);
  } catch {
    return { ok: false, reason: "unresolvable" };
  }
  if (addresses.length === 0) return { ok: false, reason: "unresolvable" };
  if (!addresses.every((address) => isAllowedAddress(address, policy))) return { ok: false, reason: "private_address" };
  return { ok: true, url };
}

/**
 * A `lookup` for node's http(s).request: resolves the name and hands the socket only allowed
 * addresses; a name with any refused address is refused whole (no mixing public and private).
 */
export function guardedLookup(policy: EndpointUrlPolicy, resolve: ResolveHost = systemResolve) {
  return (
    hostname: string,
    options: { all?: boolean },
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    resolve(hostname)
      .then((entries) => {
        if (entries.length === 0 || !entries.every((entry) => isAllowedAddress(entry.address, policy))) {
          callback(new RefusedAddressError(hostname), "", 0);
          return;
        }
        if (options.all) callback(null, entries);
        else callback(null, entries[0]!.address, entries[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, "", 0));
  };
}
