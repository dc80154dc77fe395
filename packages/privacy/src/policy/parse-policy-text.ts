/**
 * The policy is plain text (so lawyers and engineers edit one file); the page needs its
 * structure. Blocks are separated by blank lines:
 * - an unindented line without a colon or final punctuation is a section heading ("Contact Us");
 * - "  1. Account Information" (indented, numbered) is a subsection heading;
 * - lines starting with "•" are list items;
 * - `{{privacy-contact}}` is where the configured privacy contact address goes;
 * - anything else is a paragraph (its lines kept as lines).
 */
export type PolicyBlock =
  | { kind: "title"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "subheading"; text: string }
  | { kind: "paragraph"; lines: string[] }
  | { kind: "list"; items: string[] }
  | { kind: "contact" };

export const CONTACT_PLACEHOLDER = "{{privacy-contact}}";

export function parsePolicyText(text: string): PolicyBlock[] {
  const blocks: PolicyBlock[] = [];
  const chunks = text
    .replaceAll("\r\n", "\n")
    .split(/\n\s*\n/)
    .map((chunk) => chunk.replace(/^\n+|\s+$/g, ""))
    .filter((chunk) => chunk.trim().length > 0);
  for (const chunk of chunks) {
    const lines = chunk.split("\n");
    const first = lines[0]!;
    const trimmed = first.trim();
    if (trimmed === CONTACT_PLACEHOLDER) {
      blocks.push({ kind: "contact" });
    } else if (
      lines.length === 1 &&
      first === trimmed &&
      !/[.:;,!?]$/.test(trimmed) &&
      !trimmed.includes(":") &&
      trimmed.length <= 80
    ) {
      blocks.push({ kind: blocks.length === 0 ? "title" : "heading", text: trimmed });
    } else if (lines.some((line) => isBullet(line) || isNumbered(line))) {
      // A chunk of list items may end with the next numbered subsection's title.
      for (const line of lines) {
        const previous = blocks.at(-1);
        if (isNumbered(line)) blocks.push({ kind: "subheading", text: line.trim() });
        else if (isBullet(line)) {
          const item = line.trim().replace(/^•\s*/, "");
          // Bullets split by blank lines belong to one list.
          if (previous?.kind === "list") previous.items.push(item);
          else blocks.push({ kind: "list", items: [item] });
        } else if (previous?.kind === "paragraph") previous.lines.push(line.trim());
        else blocks.push({ kind: "paragraph", lines: [line.trim()] });
      }
    } else {
      blocks.push({ kind: "paragraph", lines: lines.map((line) => line.trim()) });
    }
  }
  return blocks;
}

function isBullet(line: string): boolean {
  return line.trim().startsWith("•");
}

function isNumbered(line: string): boolean {
  return /^\s+\d+\.\s/.test(line);
}

/** The plain text with the contact address in place (emails, downloads, the conformance suite). */
export function policyTextWithContact(text: string, contactEmail: string): string {
  return text.replace(CONTACT_PLACEHOLDER, contactEmail);
}
