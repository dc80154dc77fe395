import { expect, it } from "vitest";
import { createUploadThingStore } from "./uploadthing-store";
import { describeBlobStoreContract, startFakeUploadThing, type FakeUploadThing } from "./testing";

let fake: FakeUploadThing | undefined;

describeBlobStoreContract("uploadthing (real SDK against a local fake)", async () => {
  fake = await startFakeUploadThing();
  return { store: createUploadThingStore(fake.sdkOptions), close: () => fake!.close() };
});

it("reaches the fake through the SDK's own endpoints", () => {
  expect(fake!.requests.some((line) => /^PUT \/[A-Za-z0-9_-]+$/.test(line))).toBe(true);
  expect(fake!.requests).toContain("POST /v6/deleteFiles");
  expect(fake!.requests.some((line) => line.startsWith("GET /a/fakeapp/"))).toBe(true);
});

it("asks UploadThing to keep every file private (served only through signed URLs)", async () => {
  const own = await startFakeUploadThing();
  try {
    const store = createUploadThingStore(own.sdkOptions);
    const { key } = await store.put(new Uint8Array([1, 2, 3]), { contentType: "image/jpeg", name: "photo.jpg" });
    expect(own.files.get(key)?.acl).toBe("private");
  } finally {
    await own.close();
  }
});
