// Against the run's real dev server: a namespace without our attributes gets them, a second
// start changes nothing, and a clash of types is refused with the attribute's name.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { NativeConnection } from "@temporalio/worker";
import { msToTs } from "@temporalio/common/lib/time";
import { waitFor } from "@animateimg/local-services";
import { ensureSearchAttributes } from "./search-attribute-registration";
import { customSearchAttributes } from "./search-attributes";

let connection: NativeConnection;
beforeAll(async () => {
  connection = await NativeConnection.connect({ address: inject("temporalAddress") });
});
afterAll(async () => {
  await connection?.close();
});

async function freshNamespace(): Promise<string> {
  const namespace = `sa-${randomUUID().slice(0, 8)}`;
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs("1 day") });
  // A new namespace is known to every service only once their caches refresh.
  await waitFor(`namespace ${namespace} to be usable`, async () => {
    try {
      await connection.operatorService.listSearchAttributes({ namespace });
      return true;
    } catch {
      return undefined;
    }
  });
  return namespace;
}

describe("ensureSearchAttributes", () => {
  it("registers the missing attributes once; a second start adds nothing", async () => {
    const namespace = await freshNamespace();
    expect((await ensureSearchAttributes(connection, namespace)).added.sort()).toEqual(
      Object.keys(customSearchAttributes).sort(),
    );
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    expect(Object.keys(listed.customAttributes ?? {})).toEqual(
      expect.arrayContaining(Object.keys(customSearchAttributes)),
    );
    expect(await ensureSearchAttributes(connection, namespace)).toEqual({ added: [] });
  });

  it("refuses an attribute of the same name with another type", async () => {
    const namespace = await freshNamespace();
    const [name] = Object.keys(customSearchAttributes);
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: { [name!]: 1 /* INDEXED_VALUE_TYPE_TEXT */ },
    });
    await expect(ensureSearchAttributes(connection, namespace)).rejects.toThrow(
      `search attribute ${name} exists in namespace "${namespace}" with another type`,
    );
  });
});
