// The bounded fetch every adapter uses: a status read (GET) gets its own, shorter budget than a
// submit, so a hung provider is given up on per read and the poll retried.
import { describe, expect, it } from "vitest";
import { ProviderError } from "./adapter";
import { sendRequest, type FetchLike } from "./provider-http";

/** A provider that never answers: the request ends only when our signal aborts it. */
const hung: FetchLike = (_url, init) =>
  new Promise((_resolve, reject) => {
    init?.signal?.addEventListener("abort", () => reject(init.signal!.reason as Error), { once: true });
  });

async function timeToFail(
  method: string,
  options: { timeoutMs?: number; readTimeoutMs?: number },
): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  const error = await sendRequest("test", "http://provider.test/x", { method }, { fetch: hung, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { ms: Date.now() - started, error };
}

describe("sendRequest timeouts", () => {
  it("gives a hung status read its own budget, a submit the full one", async () => {
    const read = await timeToFail("GET", { timeoutMs: 5000, readTimeoutMs: 50 });
    expect(read.error).toBeInstanceOf(ProviderError);
    expect(read.error).toMatchObject({ kind: "transient", noAnswer: true, message: "test: no answer within 50 ms" });
    expect(read.ms).toBeLessThan(2000);
    const submit = await timeToFail("POST", { timeoutMs: 300, readTimeoutMs: 50 });
    expect(submit.error).toMatchObject({ kind: "transient", noAnswer: true, message: "test: no answer within 300 ms" });
    expect(submit.ms).toBeGreaterThanOrEqual(250);
  });

  it("reads default to the smaller of the request budget and 10 s", async () => {
    const read = await timeToFail("GET", { timeoutMs: 80 });
    expect(read.error).toMatchObject({ message: "test: no answer within 80 ms" });
  });
});
