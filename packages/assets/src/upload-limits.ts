/** What a photo may be. Checked from the header, before anything is decoded. */
export interface PhotoLimits {
  maxBytes: number;
  maxPixels: number;
  maxSide: number;
  minSide: number;
}

/** What a reference video (Motion Control) may be; a model may ask for tighter limits. */
export interface ReferenceVideoLimits {
  /** The model's name in messages: "Motion Control reference videos must be …". */
  model: string;
  maxBytes: number;
  minDurationMs: number;
  maxDurationMs: number;
  maxWidth: number;
  maxHeight: number;
  /** ffprobe codec names. */
  codecs: readonly string[];
}

export const defaultPhotoLimits: PhotoLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 40_000_000,
  maxSide: 12_000,
  minSide: 32,
};

export const referenceVideoLimitsByModel = {
  "motion-control": {
    model: "Motion Control",
    maxBytes: 100 * 1024 * 1024,
    minDurationMs: 3_000,
    maxDurationMs: 30_000,
    maxWidth: 3840,
    maxHeight: 3840,
    codecs: ["h264", "hevc", "vp8", "vp9", "av1"],
  },
} as const satisfies Record<string, ReferenceVideoLimits>;

export const defaultReferenceVideoLimits: ReferenceVideoLimits = referenceVideoLimitsByModel["motion-control"];

/** The largest body the upload route accepts at all (the bigger of the two kinds). */
export function maxUploadBytes(
  photo: PhotoLimits = defaultPhotoLimits,
  video: ReferenceVideoLimits = defaultReferenceVideoLimits,
): number {
  return Math.max(photo.maxBytes, video.maxBytes);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
}

export const codecNames: Record<string, string> = {
  h264: "H.264",
  hevc: "HEVC (H.265)",
  vp8: "VP8",
  vp9: "VP9",
  av1: "AV1",
};
