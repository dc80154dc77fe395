import { AppError } from "./app-error";

/**
 * Opaque page cursors for keyset pagination on (timestamp, uuid). A cursor comes back from
 * the client, so decoding checks everything Postgres would otherwise reject with its own
 * error text: the id must be a UUID and the instant a real date inside a sane range.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

export interface KeysetPosition {
  at: Date;
  id: string;
}

export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString("base64url");
}

/** Decodes a cursor, or throws BAD_REQUEST (reason `invalid_cursor`) telling the reader to reload `list`. */
export function decodeKeysetCursor(cursor: string, list: "gallery" | "list"): KeysetPosition {
  const invalid = () =>
    new AppError("BAD_REQUEST", `That page link is no longer valid. Reload the ${list}.`, {
      reason: "invalid_cursor",
      params: { list },
    });
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalid();
  const [at, id] = decoded as unknown[];
  if (typeof at !== "string" || typeof id !== "string" || !UUID.test(id)) throw invalid();
  const time = Date.parse(at);
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST) throw invalid();
  return { at: new Date(time), id };
}
