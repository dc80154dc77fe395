/**
 * A file name as the uploader's browser sent it is only ever a label. It never becomes a
 * path (blob keys are random), but it is shown in the UI and in Content-Disposition, so
 * anything that is not a plain name is dropped: folders ("../../etc/passwd" → "passwd"),
 * control characters, quotes and angle brackets.
 */
export function sanitizeDisplayName(name: string | null | undefined): string {
  const base = (name ?? "").normalize("NFC").split(/[/\\]/).pop() ?? "";
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f"<>:*?|]/g, "")
    .replace(/^[.\s]+/, "")
    .trim()
    .slice(0, 120);
  return cleaned || "upload";
}
