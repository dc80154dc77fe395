import path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { findS3Server, startS3Server, type LocalS3Server } from "@animateimg/local-services";
import type { S3StoreOptions } from "../s3-store";

const repoRoot = path.resolve(import.meta.dirname, "../../../..");

export interface TestS3Server {
  server: LocalS3Server;
  /** Options for createS3Store pointing at a fresh bucket on this server. */
  storeOptions(bucket?: string): Promise<S3StoreOptions>;
  /** A raw SDK client on the server (to inspect objects as the store left them). */
  client: S3Client;
  stop(): Promise<void>;
}

/**
 * A real S3-compatible server for this test run (moto's server mode, installed once into
 * `.data/tools/moto-venv`), on a free port, stopped by `stop()`.
 */
export async function startTestS3Server(): Promise<TestS3Server> {
  const dataDir = process.env.ANIMATEIMG_DATA_DIR ?? path.join(repoRoot, ".data");
  const cliPath = await findS3Server({ dataDir, log: (line) => console.log(`[s3] ${line}`) });
  const server = await startS3Server({ cliPath });
  const credentials = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
  const client = new S3Client({ region: server.region, endpoint: server.endpoint, forcePathStyle: true, credentials });
  let buckets = 0;
  return {
    server,
    client,
    async storeOptions(bucket = `animateimg-test-${process.pid}-${++buckets}`) {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return {
        bucket,
        region: server.region,
        endpoint: server.endpoint,
        forcePathStyle: true,
        credentials,
      };
    },
    async stop() {
      client.destroy();
      await server.stop();
    },
  };
}
