import { formatMessage, type MessageVars } from "./format-message";

/**
 * A generation's status, and each attempt's summary, as data: a code and its parameters.
 * Workflows, activities and routers record these, never sentences; the web app words them in
 * the reader's language (its dictionaries hold `status.<code>` and `failure.<kind>`), and the
 * server words them in English only as a fallback for API clients (`englishStatusMessages`).
 *
 * Parameters are named by what they hold, so a renderer can word them: `provider`, `from`,
 * `to` are provider ids (worded by the provider's label), `reason` is a failure kind (worded
 * by its `failure.<kind>` phrase), `model` is a model id (worded by the model's label).
 * Everything else is shown as it is (numbers through plural rules where the template says so).
 */
export interface StatusParams {
  /** Created; its workflow has not picked it up yet. */
  waiting_to_start: Record<string, never>;
  /** The workflow has started (its query, before anything is written). */
  starting: Record<string, never>;
  /** Handed to the in-house engine; no progress reported yet. */
  render_started: Record<string, never>;
  /** The in-house engine is rendering. */
  rendering: { percent: number };
  /** Handed to a provider; its first status read has not come back yet. */
  sent_to_provider: { provider: string };
  provider_queued: Record<string, never>;
  provider_queue_position: { position: number };
  provider_generating: Record<string, never>;
  /** A route failed (the latest one, `from`, for `reason`) and the next one, `to`, is tried. */
  provider_fallback: { from: string; reason: string; to: string };
  done: Record<string, never>;
  /** Succeeded on `provider` after `from` failed for `reason` (the attempt log has them all). */
  finished_after_fallback: { from: string; reason: string; provider: string };
  canceled: Record<string, never>;
  failed_content_policy: Record<string, never>;
  /** `detail` is the provider's own words about the input, shown as they are. */
  failed_invalid_input: { detail: string };
  failed_input_missing: Record<string, never>;
  failed_all_routes: Record<string, never>;
  failed_infrastructure: Record<string, never>;
  no_route: { model: string };
  failed_generic: Record<string, never>;
  insufficient_credits: Record<string, never>;
  credits_owed: { owed: number };
  /** Failed by the reconciler: its workflow was gone and could not be resumed. */
  abandoned: Record<string, never>;
  /** Failed at create: its workflow could not be started (nothing was charged). */
  start_failed: Record<string, never>;
  attempt_running: { provider: string };
  attempt_succeeded: { provider: string };
  /** `seconds` with one decimal, e.g. "4.2". */
  attempt_succeeded_in: { provider: string; seconds: string };
  attempt_canceled: { provider: string };
  attempt_timed_out: { provider: string };
  attempt_failed: { provider: string; reason: string };
}

export type StatusCode = keyof StatusParams;

export type Status = { [C in StatusCode]: { code: C; params: StatusParams[C] } }[StatusCode];

/** A status as the API sends it: the code, its parameters, and the English sentence for clients that do not translate. */
export type WordedStatus = Status & { message: string };

export const makeStatus = <C extends StatusCode>(
  code: C,
  ...params: StatusParams[C] extends Record<string, never> ? [] : [StatusParams[C]]
): Status => ({ code, params: params[0] ?? {} }) as Status;

/**
 * The English sentence for every code: the single English source (the web app's English
 * dictionary includes these, so the API's fallback and the UI never drift apart).
 */
export const englishStatusMessages: Record<StatusCode, string> = {
  waiting_to_start: "Waiting to start",
  starting: "Starting",
  render_started: "Rendering",
  rendering: "Rendering {percent}%",
  sent_to_provider: "Sent to {provider}",
  provider_queued: "In queue",
  provider_queue_position: "In queue (position {position})",
  provider_generating: "Generating",
  provider_fallback: "{from} {reason}; trying {to}",
  done: "Done",
  finished_after_fallback: "{from} {reason}; finished on {provider}",
  canceled: "Canceled. Your credits were refunded.",
  failed_content_policy:
    "The video model declined this photo or prompt under its content rules. Try a different photo or prompt. Your credits were refunded.",
  failed_invalid_input: "The video model could not use these inputs ({detail}). Your credits were refunded.",
  failed_input_missing: "The photo for this generation is no longer available. Your credits were refunded.",
  failed_all_routes:
    "Every available video service failed to make this video. Your credits were refunded; please try again later.",
  failed_infrastructure: "Our service was unavailable for too long to finish this video. Your credits were refunded.",
  no_route: "No video service can run {model} right now. Your credits were refunded.",
  failed_generic: "The video could not be made. Your credits were refunded.",
  insufficient_credits: "You do not have enough credits for this. Buy credits or choose cheaper settings.",
  credits_owed:
    "Your account owes {owed, plural, one {# credit} other {# credits}} after a refund or dispute. Buy credits to settle it before starting paid work.",
  abandoned: "This generation stopped and could not be resumed. Your credits were refunded.",
  start_failed: "This generation could not be started. Nothing was charged; please try again.",
  attempt_running: "{provider} is working on it",
  attempt_succeeded: "Finished on {provider}",
  attempt_succeeded_in: "Finished on {provider} in {seconds} s",
  attempt_canceled: "Canceled while on {provider}",
  attempt_timed_out: "{provider} took too long",
  attempt_failed: "{provider} {reason}",
};

export const statusCodes = Object.keys(englishStatusMessages) as StatusCode[];

export function isStatusCode(code: unknown): code is StatusCode {
  return typeof code === "string" && Object.hasOwn(englishStatusMessages, code);
}

/** What went wrong at a route, as the end of "Kling …". Kinds not listed read as `other`. */
export const englishFailurePhrases = {
  transient: "had a hiccup",
  // A submit whose answer was lost at a provider we cannot search by our id: same to the person.
  submit_uncertain: "had a hiccup",
  circuit_open: "was busy",
  rate_limited: "was busy",
  invalid_input: "could not use these inputs",
  content_policy: "declined the content",
  auth: "was unavailable",
  quota: "was unavailable",
  provider_protocol: "had a hiccup",
  timeout: "took too long",
  output_unavailable: "lost the result",
  engine_error: "could not render it",
  other: "failed",
} as const;

export type FailurePhraseKey = keyof typeof englishFailurePhrases;
export const failurePhraseKeys = Object.keys(englishFailurePhrases) as FailurePhraseKey[];

export function failurePhraseKey(kind: string | null | undefined): FailurePhraseKey {
  return kind && kind !== "other" && Object.hasOwn(englishFailurePhrases, kind) ? (kind as FailurePhraseKey) : "other";
}

/** How the parameters that name things are worded in one language. */
export interface StatusWords {
  provider: (id: string) => string;
  model: (id: string) => string;
  failure: (key: FailurePhraseKey) => string;
}

const providerParams = new Set(["provider", "from", "to"]);

/** The template's values: ids and failure kinds worded, everything else as it is. */
export function statusVars(value: Status, words: StatusWords): MessageVars {
  const vars: MessageVars = {};
  for (const [name, raw] of Object.entries(value.params as Record<string, unknown>)) {
    if (typeof raw !== "string" && typeof raw !== "number") continue;
    if (providerParams.has(name)) vars[name] = words.provider(String(raw));
    else if (name === "reason") vars[name] = words.failure(failurePhraseKey(String(raw)));
    else if (name === "model") vars[name] = words.model(String(raw));
    else vars[name] = raw;
  }
  return vars;
}

/** Words a status with the given templates (one language's dictionary). */
export function renderStatus(
  value: Status,
  templates: Record<StatusCode, string>,
  words: StatusWords,
  locale: string,
): string {
  return formatMessage(templates[value.code], statusVars(value, words), locale);
}

/** The English fallback sentence (API clients, status_message). */
export function englishStatusMessage(value: Status, names: Pick<StatusWords, "provider" | "model">): string {
  return renderStatus(value, englishStatusMessages, { ...names, failure: (key) => englishFailurePhrases[key] }, "en");
}

/**
 * Reads a stored or received status back, or null when it is not one (older rows, a code
 * from a newer server): callers then show the English message they have.
 */
export function parseStatus(code: unknown, params: unknown): Status | null {
  if (!isStatusCode(code)) return null;
  const values =
    params && typeof params === "object" && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
  return { code, params: values } as Status;
}
