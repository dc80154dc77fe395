import type { AssetView } from "@animateimg/api";

/** An asset as the upload route returns it (dates as ISO strings). */
export type UploadedAsset = Omit<AssetView, "createdAt" | "urls"> & {
  createdAt: string;
  urls: Omit<AssetView["urls"], "expiresAt"> & { expiresAt: string };
};

export class UploadError extends Error {
  constructor(
    message: string,
    readonly reason: string | null,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

export interface UploadRequestOptions {
  kind?: "image" | "video" | undefined;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * Sends one file as the raw request body. XMLHttpRequest rather than fetch because only XHR
 * reports upload progress in every browser.
 */
export function uploadFile(file: Blob & { name?: string }, options: UploadRequestOptions = {}): Promise<UploadedAsset> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", options.kind ? `/api/uploads?kind=${options.kind}` : "/api/uploads");
    xhr.setRequestHeader("content-type", "application/octet-stream");
    if (file.name) xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as {
        asset?: UploadedAsset;
        error?: { message?: string; reason?: string | null };
      } | null;
      if (xhr.status === 201 && body?.asset) return resolve(body.asset);
      reject(new UploadError(body?.error?.message ?? messageForStatus(xhr.status), body?.error?.reason ?? null));
    };
    xhr.onerror = () =>
      reject(new UploadError("The upload was interrupted. Check your connection and try again.", "network"));
    xhr.onabort = () => reject(new UploadError("Upload canceled.", "canceled"));
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

function messageForStatus(status: number): string {
  if (status === 401) return "Please sign in to upload.";
  if (status === 413) return "This file is too large to upload.";
  return `The upload failed (HTTP ${status}). Please try again.`;
}
