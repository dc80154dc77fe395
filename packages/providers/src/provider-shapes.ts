// Reading a provider's answer through a schema of its documented shape: unknown fields pass
// (providers add fields all the time), but a missing or retyped documented field is a
// `provider_protocol` error naming the field, never a silently wrong value (a status read as
// "running" forever, an output URL that is not one). Bodies that are not JSON at all stay
// transient (sendRequest): those are proxies and truncations, not API changes.
import { z } from "zod";
import { ProviderError } from "./adapter";

export function parseShape<S extends z.ZodType>(
  provider: string,
  what: string,
  schema: S,
  value: unknown,
  httpStatus?: number,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)";
  throw new ProviderError(
    "provider_protocol",
    `${provider}: ${what} is not in the documented shape (${where}: ${issue?.message ?? "invalid"})`,
    {
      ...(httpStatus === undefined ? {} : { httpStatus }),
      cause: parsed.error,
    },
  );
}

/** An id providers send as a string (some as a number): what we store and ask with later. */
export const idSchema = z.union([z.string().min(1), z.number().transform(String)]);
