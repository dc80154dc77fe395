export { describeBlobStoreContract, type ContractSubject } from "./blob-store-contract";
export { startFakeUploadThing, type FakeUploadThing } from "./fake-uploadthing";
