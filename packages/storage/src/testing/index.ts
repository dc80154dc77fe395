export { describeBlobStoreContract, type ContractSubject } from "./blob-store-contract";
export { startFakeUploadThing, type FakeUploadThing } from "./fake-uploadthing";
export { startTestS3Server, type TestS3Server } from "./s3-test-server";
