export interface DeviceDescription {
  browser: string;
  os: string;
}

const browsers: Array<[RegExp, string]> = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, "Edge"],
  [/OPR\/(\d+)/, "Opera"],
  [/SamsungBrowser\/(\d+)/, "Samsung Internet"],
  [/Firefox\/(\d+)|FxiOS\/(\d+)/, "Firefox"],
  [/Chrome\/(\d+)|CriOS\/(\d+)/, "Chrome"],
  [/Version\/(\d+).*Safari\//, "Safari"],
  [/curl\/(\d+)/, "curl"],
];

const systems: Array<[RegExp, string]> = [
  [/iPhone|iPad|iPod/, "iOS"],
  [/Android/, "Android"],
  [/CrOS/, "ChromeOS"],
  [/Windows NT/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Linux/, "Linux"],
];

/** Enough of a User-Agent to recognise one's own devices in the sessions list. */
export function describeUserAgent(userAgent: string | null | undefined): DeviceDescription {
  if (!userAgent) return { browser: "Unknown browser", os: "unknown system" };
  let browser = "Unknown browser";
  for (const [pattern, name] of browsers) {
    const match = pattern.exec(userAgent);
    if (match) {
      const version = match.slice(1).find((v) => v !== undefined);
      browser = version ? `${name} ${version}` : name;
      break;
    }
  }
  const os = systems.find(([pattern]) => pattern.test(userAgent))?.[1] ?? "unknown system";
  return { browser, os };
}

/**
 * An approximate place for an IP address. No geolocation database ships with the app (and
 * none is fetched at run time), so only what is knowable offline is said.
 */
export function describeIpLocation(ip: string | null | undefined): string | null {
  if (!ip) return null;
  if (ip === "127.0.0.1" || ip === "::1" || ip.startsWith("::ffff:127.")) return "This computer";
  if (/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip) || /^f[cd][0-9a-f]{2}:/i.test(ip)) return "Local network";
  return null;
}
