import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseRangeHeader } from "../blob-store";

/**
 * A local stand-in for the UploadThing endpoints the server SDK calls, so the real `UTApi`
 * runs end to end in tests:
 * - PUT  {ingestUrl}/{fileKey}?…&signature=hmac-sha256=…   (uploadFiles; multipart "file")
 * - GET/HEAD {ufsHost}/a/{appId}/{fileKey}?expires=…&signature=… (generateSignedURL; Range)
 * - POST {apiUrl}/v6/deleteFiles  with x-uploadthing-api-key    (deleteFiles)
 * - POST {apiUrl}/v6/listFiles    with x-uploadthing-api-key    (listFiles; limit, offset, upload order)
 * Signatures and expiry are checked the way UploadThing does (HMAC-SHA256 of the URL
 * before `&signature=`, keyed by the API key), so a wrongly signed request fails here too.
 */
export interface FakeUploadThing {
  /** The UPLOADTHING_TOKEN that points at this app. */
  token: string;
  /** SDK options that send every request here. */
  sdkOptions: { token: string; apiUrl: string; ingestUrl: string; ufsHost: string; ufsAppIdLocation: "path" };
  /** Stored files; `acl` is what the upload asked for (`x-ut-acl`), if anything. */
  files: Map<string, { bytes: Buffer; type: string; name: string; acl: string | null; uploadedAt: number }>;
  /** Method and path of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeUploadThing(): Promise<FakeUploadThing> {
  const apiKey = `sk_test_${createHash("sha256").update(String(Math.random())).digest("hex").slice(0, 24)}`;
  const appId = "fakeapp";
  const token = Buffer.from(JSON.stringify({ apiKey, appId, regions: ["local"] })).toString("base64");
  const files = new Map<
    string,
    { bytes: Buffer; type: string; name: string; acl: string | null; uploadedAt: number }
  >();
  const requests: string[] = [];

  const verifySigned = (req: IncomingMessage): boolean => {
    const raw = `http://${req.headers.host ?? ""}${req.url ?? ""}`;
    const at = raw.lastIndexOf("&signature=");
    if (at < 0) return false;
    const signed = raw.slice(0, at);
    const given = decodeURIComponent(raw.slice(at + "&signature=".length));
    if (!given.startsWith("hmac-sha256=")) return false;
    const expected = createHmac("sha256", apiKey).update(signed).digest();
    const actual = Buffer.from(given.slice("hmac-sha256=".length), "hex");
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return false;
    const expires = Number(new URL(raw).searchParams.get("expires"));
    return Number.isFinite(expires) && expires > Date.now();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://fake");
    requests.push(`${req.method} ${url.pathname}`);
    const body = await readAll(req);

    if (req.method === "POST" && url.pathname === "/v6/deleteFiles") {
      if (req.headers["x-uploadthing-api-key"] !== apiKey) return json(res, 401, { error: "Invalid API key" });
      const { fileKeys = [] } = JSON.parse(body.toString() || "{}") as { fileKeys?: string[] };
      let deletedCount = 0;
      for (const key of fileKeys) if (files.delete(key)) deletedCount += 1;
      return json(res, 200, { success: true, deletedCount });
    }

    if (req.method === "POST" && url.pathname === "/v6/listFiles") {
      if (req.headers["x-uploadthing-api-key"] !== apiKey) return json(res, 401, { error: "Invalid API key" });
      const { limit = 500, offset = 0 } = JSON.parse(body.toString() || "{}") as { limit?: number; offset?: number };
      // Oldest first, as UploadThing lists them (a Map keeps insertion order).
      const all = [...files.entries()];
      const page = all.slice(offset, offset + limit).map(([key, file]) => ({
        id: key,
        customId: null,
        key,
        name: file.name,
        size: file.bytes.length,
        status: "Uploaded",
        uploadedAt: file.uploadedAt,
      }));
      return json(res, 200, { files: page, hasMore: offset + limit < all.length });
    }

    const fileMatch = /^\/a\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if ((req.method === "GET" || req.method === "HEAD") && fileMatch) {
      if (fileMatch[1] !== appId || !verifySigned(req))
        return json(res, 403, { error: "Invalid or expired signature" });
      const file = files.get(decodeURIComponent(fileMatch[2] ?? ""));
      if (!file) return json(res, 404, { error: "Not found" });
      const parsed = parseRangeHeader(req.headers.range, file.bytes.length);
      if (parsed.kind === "unsatisfiable") {
        res.writeHead(416, { "content-range": `bytes */${file.bytes.length}` });
        return res.end();
      }
      const headers: Record<string, string> = { "content-type": file.type, "accept-ranges": "bytes" };
      if (parsed.kind === "range") {
        const { start, end } = parsed.range;
        res.writeHead(206, {
          ...headers,
          "content-length": String(end - start + 1),
          "content-range": `bytes ${start}-${end}/${file.bytes.length}`,
        });
        return res.end(req.method === "HEAD" ? undefined : file.bytes.subarray(start, end + 1));
      }
      res.writeHead(200, { ...headers, "content-length": String(file.bytes.length) });
      return res.end(req.method === "HEAD" ? undefined : file.bytes);
    }

    const ingestMatch = /^\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (req.method === "PUT" && ingestMatch) {
      if (!verifySigned(req) || url.searchParams.get("x-ut-identifier") !== appId)
        return json(res, 403, { error: "Invalid signature" });
      const form = await new Request("http://fake/", {
        method: "POST",
        headers: { "content-type": req.headers["content-type"] ?? "" },
        body,
      }).formData();
      const file = form.get("file");
      if (!(file instanceof Blob)) return json(res, 400, { error: "Missing file" });
      const key = ingestMatch[1] ?? "";
      const bytes = Buffer.from(await file.arrayBuffer());
      const type = decodeURIComponent(url.searchParams.get("x-ut-file-type") ?? "") || file.type;
      files.set(key, {
        bytes,
        type,
        name: decodeURIComponent(url.searchParams.get("x-ut-file-name") ?? ""),
        acl: url.searchParams.get("x-ut-acl"),
        uploadedAt: Date.now(),
      });
      const fileUrl = `http://${req.headers.host ?? ""}/a/${appId}/${key}`;
      return json(res, 200, {
        url: fileUrl,
        appUrl: fileUrl,
        ufsUrl: fileUrl,
        fileHash: createHash("md5").update(bytes).digest("hex"),
      });
    }

    return json(res, 404, { error: `The fake does not implement ${req.method} ${url.pathname}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    token,
    // ufsHost containing "local" makes the SDK use http:// (as for UploadThing's own dev hosts).
    sdkOptions: { token, apiUrl: base, ingestUrl: base, ufsHost: `localhost:${port}`, ufsAppIdLocation: "path" },
    files,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
