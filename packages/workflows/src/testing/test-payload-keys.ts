import { createHash } from "node:crypto";
import type { PayloadKeyRing } from "../payload-codec";

/**
 * Every test worker and client encrypts its payloads, as production does, so the whole suite
 * runs through the payload codec. One fixed key (derived, not secret: test histories only), so
 * workers in child processes and clients in the test process read each other's payloads.
 */
export const testPayloadKeys: PayloadKeyRing = {
  keys: new Map([["test1", createHash("sha256").update("animateimg test payload key").digest()]]),
  activeKeyId: "test1",
};
