import type { ZodError } from "zod";

type Issue = ZodError["issues"][number];

const fieldName = (path: readonly PropertyKey[]) =>
  path.length === 0 ? "The request" : `“${path.map((part) => String(part)).join(".")}”`;

function describeIssue(issue: Issue): string {
  // Our schemas' own messages are sentences already; zod's defaults never end with a period.
  if (/[.!?]$/.test(issue.message)) return issue.message.slice(0, -1);
  const field = fieldName(issue.path);
  switch (issue.code) {
    case "too_big": {
      const limit = String(issue.maximum);
      if (issue.origin === "string") return `${field} can be at most ${limit} characters long`;
      if (issue.origin === "array" || issue.origin === "set") return `${field} can have at most ${limit} items`;
      return `${field} can be at most ${limit}`;
    }
    case "too_small": {
      const limit = String(issue.minimum);
      if (issue.origin === "string") {
        return issue.minimum === 1 ? `${field} cannot be empty` : `${field} must be at least ${limit} characters long`;
      }
      if (issue.origin === "array" || issue.origin === "set") return `${field} needs at least ${limit} items`;
      return `${field} must be at least ${limit}`;
    }
    case "invalid_type":
      // zod does not keep the input on the issue; its own message says what it received.
      return /received undefined$/.test(issue.message)
        ? `${field} is required`
        : `${field} should be a ${issue.expected}`;
    case "invalid_format":
      return `${field} is not a valid ${issue.format === "regex" ? "value" : issue.format}`;
    case "invalid_value":
      return `${field} must be one of: ${issue.values.map((value) => String(value)).join(", ")}`;
    case "unrecognized_keys":
      return `${field} has fields we do not know: ${issue.keys.join(", ")}`;
    case "not_multiple_of":
      return `${field} must be a multiple of ${String(issue.divisor)}`;
    default:
      return `${field} is not valid`;
  }
}

/**
 * Input validation errors as one sentence a person can act on (the per-field details stay
 * in `zodError`/`fieldErrors` for forms), instead of zod's JSON dump of its issues.
 */
export function describeInputIssues(error: ZodError): string {
  const sentences = [...new Set(error.issues.slice(0, 5).map(describeIssue))];
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : "";
  return `Please check the request: ${sentences.join("; ")}${more}.`;
}

/** What a client sees for a failure that is ours: never the internal text (SQL, stack, hosts). */
export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Please try again in a moment.";
