import type { ConnectionOptions } from "@temporalio/client";
import type { NativeConnectionOptions } from "@temporalio/worker";
import type { PayloadKeyRing } from "./payload-codec";

/**
 * Where and how to reach Temporal: the same settings for the web app's client and the worker
 * (built from the environment by @animateimg/config's temporalConnectionFromEnv). `tls`
 * undefined means plaintext (the dev server); `{}` means TLS with the system's roots.
 */
export interface TemporalConnectionSettings {
  address: string;
  namespace: string;
  tls?:
    | {
        serverNameOverride?: string;
        serverRootCACertificate?: Uint8Array;
        clientCertPair?: { crt: Uint8Array; key: Uint8Array };
      }
    | undefined;
  /** Temporal Cloud API key: sent as `Authorization: Bearer …` on every call (TLS only). */
  apiKey?: string | undefined;
  /** Set: every payload is encrypted (see payload-codec.ts) by the clients and workers built from these settings. */
  payloadKeys?: PayloadKeyRing | undefined;
}

export function clientConnectionOptions(settings: TemporalConnectionSettings): ConnectionOptions {
  return {
    address: settings.address,
    ...(settings.tls ? { tls: settings.tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  };
}

export function nativeConnectionOptions(settings: TemporalConnectionSettings): NativeConnectionOptions {
  return {
    address: settings.address,
    ...(settings.tls ? { tls: settings.tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  };
}
