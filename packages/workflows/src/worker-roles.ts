// Which task queues one worker process polls. Every queue can be served by any number of
// processes, so a deployment scales each kind separately: a few `main` processes (workflows and
// bookkeeping activities), as many `render` processes as it has cores to spare for the engine,
// and provider processes sized to the providers' own limits. No I/O here.

/** The kinds of task queue a worker process can serve. */
export type WorkerRole = "main" | "render" | "providers";

export const workerRoles: readonly WorkerRole[] = ["main", "render", "providers"];

export interface WorkerRoleSelection {
  /** Workflows (every type) and the bookkeeping activities; the process that registers schedules. */
  main: boolean;
  /** The in-house engine's render queue. */
  render: boolean;
  /** Provider queues: every enabled provider ("all"), or only these (each must be enabled). */
  providers: "all" | readonly string[] | false;
}

/** What a worker process serves when nothing is configured: everything, as one process. */
export const allWorkerRoles: WorkerRoleSelection = { main: true, render: true, providers: "all" };

/**
 * Reads WORKER_ROLES ("main,render,providers", any subset) and WORKER_PROVIDERS ("kling,fal": only
 * these providers' queues; implies the providers role when WORKER_ROLES is unset). Returns the
 * selection, or a sentence naming what is wrong.
 */
export function parseWorkerRoles(
  roles: string | undefined,
  providers: string | undefined,
): WorkerRoleSelection | { error: string } {
  const providerList = splitList(providers);
  const roleList = splitList(roles);
  const unknown = roleList.filter((role) => !(workerRoles as readonly string[]).includes(role));
  if (unknown.length > 0)
    return { error: `WORKER_ROLES: unknown role ${unknown.join(", ")} (use any of ${workerRoles.join(", ")})` };
  if (roleList.length === 0 && providerList.length === 0) return allWorkerRoles;
  // WORKER_PROVIDERS alone means a provider-only process for those providers.
  const selected = roleList.length > 0 ? new Set(roleList) : new Set<string>(["providers"]);
  if (providerList.length > 0 && !selected.has("providers")) {
    return {
      error:
        "WORKER_PROVIDERS is set but WORKER_ROLES leaves out providers: add providers to WORKER_ROLES or unset WORKER_PROVIDERS",
    };
  }
  return {
    main: selected.has("main"),
    render: selected.has("render"),
    providers: selected.has("providers") ? (providerList.length > 0 ? providerList : "all") : false,
  };
}

/** The providers whose queues this process polls, given the ones enabled by credentials. */
export function selectedProviders(
  selection: WorkerRoleSelection,
  enabled: readonly string[],
): string[] | { error: string } {
  if (selection.providers === false) return [];
  if (selection.providers === "all") return [...enabled];
  const missing = selection.providers.filter((provider) => !enabled.includes(provider));
  if (missing.length > 0) {
    return {
      error: `WORKER_PROVIDERS: ${missing.join(", ")} not enabled in this process (set the provider's credentials; enabled: ${enabled.join(", ") || "none"})`,
    };
  }
  return [...selection.providers];
}

export function describeWorkerRoles(selection: WorkerRoleSelection, providers: readonly string[]): string {
  const parts = [
    selection.main ? "main" : "",
    selection.render ? "render" : "",
    providers.length > 0 ? `providers (${providers.join(", ")})` : "",
  ];
  return parts.filter(Boolean).join(", ") || "nothing";
}

function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);
}
