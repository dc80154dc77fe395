import type { LookupAddress } from "node:dns";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import {
  checkEndpointUrl,
  guardedLookup,
  isAllowedAddress,
  productionUrlPolicy,
  RefusedAddressError,
  type ResolveHost,
} from "./url-policy";

const local = { allowLocalHttp: true };
const answers =
  (table: Record<string, string[]>): ResolveHost =>
  (host) => {
    const found = table[host];
    if (!found) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" }));
    return Promise.resolve(found.map((address): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 })));
  };

describe("endpoint URL policy (SSRF)", () => {
  it("refuses private, loopback, link-local and reserved addresses, including IPv4 inside IPv6", () => {
    for (const address of [
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "127.0.0.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "::ffff:10.0.0.1",
      "::ffff:127.0.0.1",
      "64:ff9b::a00:1",
    ]) {
      expect(isAllowedAddress(address, productionUrlPolicy), address).toBe(false);
    }
    for (const address of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
      expect(isAllowedAddress(address, productionUrlPolicy), address).toBe(true);
    // The dev/test setting opens loopback only, never the rest of the private ranges.
    expect(isAllowedAddress("127.0.0.1", local)).toBe(true);
    expect(isAllowedAddress("::1", local)).toBe(true);
    expect(isAllowedAddress("10.0.0.1", local)).toBe(false);
    expect(isAllowedAddress("169.254.169.254", local)).toBe(false);
  });

  it("requires https, refuses credentials, and judges a host by every address it resolves to", async () => {
    const resolve = answers({
      "hooks.example.com": ["93.184.216.34"],
      "internal.example.com": ["10.0.0.7"],
      "mixed.example.com": ["93.184.216.34", "192.168.0.2"],
      "metadata.example.com": ["169.254.169.254"],
    });
    expect(await checkEndpointUrl("https://hooks.example.com/in", productionUrlPolicy, resolve)).toMatchObject({
      ok: true,
    });
    expect(await checkEndpointUrl("http://hooks.example.com/in", productionUrlPolicy, resolve)).toEqual({
      ok: false,
      reason: "https_required",
    });
    expect(await checkEndpointUrl("https://user:pw@hooks.example.com/", productionUrlPolicy, resolve)).toEqual({
      ok: false,
      reason: "credentials_in_url",
    });
    expect(await checkEndpointUrl("ftp://hooks.example.com/", productionUrlPolicy, resolve)).toEqual({
      ok: false,
      reason: "invalid_url",
    });
    expect(await checkEndpointUrl("not a url", productionUrlPolicy, resolve)).toEqual({
      ok: false,
      reason: "invalid_url",
    });
    for (const host of [
      "internal.example.com",
      "mixed.example.com",
      "metadata.example.com",
      "127.0.0.1",
      "[::1]",
      "169.254.169.254",
    ]) {
      expect(await checkEndpointUrl(`https://${host}/hook`, productionUrlPolicy, resolve), host).toEqual({
        ok: false,
        reason: "private_address",
      });
    }
    expect(await checkEndpointUrl("https://nowhere.example.com/", productionUrlPolicy, resolve)).toEqual({
      ok: false,
      reason: "unresolvable",
    });
    // localhost through the real resolver: refused in production, accepted with the dev setting.
    expect(await checkEndpointUrl("https://localhost:8443/", productionUrlPolicy)).toEqual({
      ok: false,
      reason: "private_address",
    });
    expect(await checkEndpointUrl("http://127.0.0.1:4000/hook", productionUrlPolicy)).toEqual({
      ok: false,
      reason: "https_required",
    });
    expect(await checkEndpointUrl("http://127.0.0.1:4000/hook", local)).toMatchObject({ ok: true });
    expect(await checkEndpointUrl("http://10.0.0.1/hook", local)).toEqual({ ok: false, reason: "https_required" });
  });

  it("refuses at connect time a name that resolves to a private address (DNS rebinding)", async () => {
    // The first check saw a public address; at delivery the name answers 127.0.0.1.
    const lookup = guardedLookup(productionUrlPolicy, answers({ "rebind.example.com": ["127.0.0.1"] }));
    const error = await new Promise<Error>((resolve) => {
      const req = request({ host: "rebind.example.com", port: 9, path: "/", method: "POST", lookup }, () =>
        resolve(new Error("connected")),
      );
      req.on("error", resolve);
      req.end();
    });
    expect(error).toBeInstanceOf(RefusedAddressError);
  });
});
