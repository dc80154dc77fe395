import { describe, expect, it } from "vitest";
import { allWorkerRoles, parseWorkerRoles, selectedProviders } from "./worker-roles";

describe("worker roles", () => {
  it("default to every queue", () => {
    expect(parseWorkerRoles(undefined, undefined)).toEqual(allWorkerRoles);
    expect(parseWorkerRoles(" ", "")).toEqual(allWorkerRoles);
  });

  it("select queues by role, and providers by name", () => {
    expect(parseWorkerRoles("render", undefined)).toEqual({ main: false, render: true, providers: false });
    expect(parseWorkerRoles("Main, providers", undefined)).toEqual({ main: true, render: false, providers: "all" });
    // WORKER_PROVIDERS alone: a provider-only process.
    expect(parseWorkerRoles(undefined, "kling,fal")).toEqual({
      main: false,
      render: false,
      providers: ["kling", "fal"],
    });
    expect(parseWorkerRoles("render,providers", "kie")).toEqual({ main: false, render: true, providers: ["kie"] });
  });

  it("name what is wrong", () => {
    expect(parseWorkerRoles("main,renders", undefined)).toEqual({
      error: expect.stringContaining("unknown role renders") as unknown,
    });
    expect(parseWorkerRoles("main", "kling")).toEqual({
      error: expect.stringContaining("WORKER_ROLES leaves out providers") as unknown,
    });
    expect(selectedProviders({ main: false, render: false, providers: ["kling", "fal"] }, ["fal"])).toEqual({
      error: expect.stringContaining("kling not enabled") as unknown,
    });
  });

  it("poll every enabled provider, only the chosen ones, or none", () => {
    expect(selectedProviders(allWorkerRoles, ["kie", "fal"])).toEqual(["kie", "fal"]);
    expect(selectedProviders({ main: false, render: false, providers: ["fal"] }, ["kie", "fal"])).toEqual(["fal"]);
    expect(selectedProviders({ main: true, render: true, providers: false }, ["kie"])).toEqual([]);
  });
});
