// Reading our own media (a short-lived signed URL to our storage) so an adapter can hand the
// bytes to a provider's own file API instead of the URL. Our storage failing is retryable and
// never the provider's fault.
import { ProviderError } from "./adapter";
import type { HttpClientOptions } from "./provider-http";

export interface OwnMedia {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
  /** A file name with an extension that matches the type (providers keep it; it names nothing of ours). */
  fileName: string;
}

const extensions: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "video/mp4": "mp4",
  "video/quicktime": "mov",
};

export async function readOwnMedia(
  provider: string,
  url: string,
  mimeType: string | undefined,
  options: HttpClientOptions & { maxBytes: number; name: string },
): Promise<OwnMedia> {
  let response: Response;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    response = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new ProviderError("transient", `${provider}: could not read our own media`, { cause: error });
  }
  if (!response.ok) throw new ProviderError("transient", `${provider}: our media URL answered HTTP ${response.status}`);
  if (bytes.byteLength > options.maxBytes)
    throw new ProviderError("invalid_input", `${provider}: media too large to upload (${bytes.byteLength} bytes)`);
  const contentType =
    mimeType || response.headers.get("content-type")?.split(";")[0]?.trim() || "application/octet-stream";
  return { bytes, contentType, fileName: `${options.name}.${extensions[contentType] ?? "bin"}` };
}
