/** What the first bytes of a file say it is; names and declared types are never consulted. */
export type SniffedType =
  | { kind: "image"; format: "jpeg" | "png" | "webp" | "avif" | "heic" }
  | { kind: "video"; format: "mp4" | "mov" | "webm" }
  | { kind: "refused"; format: "svg" | "markup" }
  | { kind: "unknown" };

export const mimeByFormat = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
  heic: "image/heic",
  mp4: "video/mp4",
  mov: "video/quicktime",
  webm: "video/webm",
} as const;

const heicBrands = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"]);
const avifBrands = new Set(["avif", "avis"]);
const movBrands = new Set(["qt  "]);
const mp4Brands = new Set([
  "isom",
  "iso2",
  "iso4",
  "iso5",
  "iso6",
  "mp41",
  "mp42",
  "avc1",
  "dash",
  "M4V ",
  "M4VP",
  "mmp4",
  "f4v ",
  "3gp4",
  "3gp5",
  "3g2a",
  "MSNV",
  "XAVC",
]);

/** Reads at least the first 64 bytes (more helps ISO-BMFF brand lists and markup detection). */
export function sniffContent(head: Uint8Array): SniffedType {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return { kind: "image", format: "jpeg" };
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { kind: "image", format: "png" };
  }
  if (bytes.length >= 12 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP") {
    return { kind: "image", format: "webp" };
  }
  if (bytes.length >= 12 && bytes.toString("latin1", 4, 8) === "ftyp") {
    const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length);
    const major = bytes.toString("latin1", 8, 12);
    const brands = [major];
    for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(bytes.toString("latin1", offset, offset + 4));
    if (avifBrands.has(major)) return { kind: "image", format: "avif" };
    if (heicBrands.has(major)) return { kind: "image", format: "heic" };
    if (major === "mif1" || major === "msf1") {
      if (brands.some((brand) => avifBrands.has(brand))) return { kind: "image", format: "avif" };
      if (brands.some((brand) => heicBrands.has(brand))) return { kind: "image", format: "heic" };
      return { kind: "unknown" };
    }
    if (movBrands.has(major)) return { kind: "video", format: "mov" };
    if (mp4Brands.has(major) || brands.some((brand) => mp4Brands.has(brand))) return { kind: "video", format: "mp4" };
    return { kind: "unknown" };
  }
  // QuickTime files from older cameras start with an atom other than ftyp.
  if (bytes.length >= 8 && ["moov", "mdat", "wide", "free", "skip"].includes(bytes.toString("latin1", 4, 8))) {
    return { kind: "video", format: "mov" };
  }
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x1a45dfa3) {
    // EBML: WebM declares its DocType near the start; other Matroska files are not accepted.
    return bytes.subarray(0, 64).includes(Buffer.from("webm"))
      ? { kind: "video", format: "webm" }
      : { kind: "unknown" };
  }
  const text = bytes
    .toString("utf8", 0, Math.min(bytes.length, 1024))
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  if (text.startsWith("<")) {
    return text.includes("<svg") ? { kind: "refused", format: "svg" } : { kind: "refused", format: "markup" };
  }
  return { kind: "unknown" };
}

// Strings that have no business inside a photo but make one dangerous if it is ever served
// or opened as another type (HTML/SVG/PHP polyglots).
const markupMarkers = [
  "<script",
  "<svg",
  "<html",
  "<!doctype",
  "<iframe",
  "<?php",
  "<%@",
  "javascript:",
  "<body",
  "<object",
  "<embed",
].map((marker) => Buffer.from(marker));

/**
 * Finds a second format hidden in a photo. Re-encoding would drop it anyway; refusing says
 * plainly that the file was not just a photo.
 */
export function findPolyglot(bytes: Buffer, format: "jpeg" | "png" | "webp" | "avif" | "heic"): string | null {
  const lower = Buffer.from(bytes);
  for (let index = 0; index < lower.length; index += 1) {
    const byte = lower[index]!;
    if (byte >= 0x41 && byte <= 0x5a) lower[index] = byte + 0x20;
  }
  for (const marker of markupMarkers) if (lower.includes(marker)) return `markup (${marker.toString()})`;
  if (bytes.includes(Buffer.from("%PDF-"))) return "a PDF document";
  // A ZIP (or JAR, DOCX, APK) is read from its end: its directory record sits in the last 64 KiB.
  if (bytes.subarray(Math.max(0, bytes.length - 65_557)).includes(Buffer.from([0x50, 0x4b, 0x05, 0x06])))
    return "a ZIP archive";
  if (format === "png") {
    const iend = bytes.lastIndexOf(Buffer.from("IEND"));
    if (iend >= 0 && bytes.length > iend + 8) return "data after the end of the image";
  }
  if (format === "webp" && bytes.length >= 8) {
    const riffSize = bytes.readUInt32LE(4) + 8;
    if (bytes.length > riffSize + (riffSize % 2)) return "data after the end of the image";
  }
  return null;
}
