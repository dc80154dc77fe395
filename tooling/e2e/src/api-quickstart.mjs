// AnimateImg API quickstart: from an API key to a finished MP4 and a verified webhook, with
// nothing but fetch and the `standardwebhooks` package (plus Node's own http and fs).
//
//   ANIMATEIMG_API_URL=http://localhost:3000/api/v1 ANIMATEIMG_API_KEY=aimg_… \
//   PHOTO=photo.jpg OUT=video.mp4 node tooling/e2e/src/api-quickstart.mjs
//
// It listens for the webhook on http://127.0.0.1:<WEBHOOK_PORT> (a local run needs
// WEBHOOKS_ALLOW_LOCAL_HTTP=1 on the server; in production the endpoint must be a public https URL).
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

/**
 * Registers a webhook endpoint, uploads the photo, starts an Animate generation, waits for it,
 * downloads the MP4 and waits for the signed `generation.succeeded` event, verified with the
 * endpoint's secret. Deletes the endpoint at the end. Returns what it saw.
 */
export async function quickstart({ apiUrl, apiKey, photo, out, webhookPort = 0, timeoutMs = 300_000 }) {
  const api = async (method, path, { json, body, headers = {} } = {}) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(json ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: json ? JSON.stringify(json) : body,
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response;
  };

  // 1. A receiver for our webhooks. Verify before trusting anything in the body.
  let verifier;
  const events = [];
  let onEvent = () => {};
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      try {
        const event = verifier.verify(Buffer.concat(chunks).toString("utf8"), req.headers);
        events.push({ id: req.headers["webhook-id"], event });
        res.writeHead(204).end();
        onEvent();
      } catch {
        res.writeHead(400).end(); // not signed by AnimateImg with our secret: refuse it
      }
    });
  });
  await new Promise((resolve) => server.listen(webhookPort, "127.0.0.1", resolve));
  const hookUrl = `http://127.0.0.1:${server.address().port}/animateimg`;

  let endpointId;
  try {
    // 2. Register the endpoint; the secret is returned only now.
    const endpoint = await (
      await api("POST", "/webhooks", {
        json: { url: hookUrl, events: ["generation.succeeded", "generation.failed", "generation.canceled"] },
      })
    ).json();
    endpointId = endpoint.id;
    verifier = new Webhook(endpoint.secret);

    // 3. Upload the photo (the body is the file itself).
    const asset = await (
      await api("POST", "/uploads?kind=image", {
        body: await readFile(photo),
        headers: { "x-file-name": "photo.jpg", "content-type": "application/octet-stream" },
      })
    ).json();

    // 4. Start a generation. The Idempotency-Key makes a retry of this request safe.
    const generation = await (
      await api("POST", "/generations", {
        json: {
          modelId: "animate",
          prompt: "slow push in",
          imageAssetId: asset.id,
          params: { durationSeconds: 2, resolution: "480p", cameraMove: "zoom_in" },
        },
        headers: { "idempotency-key": crypto.randomUUID() },
      })
    ).json();

    // 5. Follow it until it ends (or just wait for the webhook).
    const deadline = Date.now() + timeoutMs;
    let current = generation;
    while (!["succeeded", "failed", "canceled"].includes(current.status)) {
      if (Date.now() > deadline) throw new Error(`generation ${generation.id} still ${current.status}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      current = await (await api("GET", `/generations/${generation.id}`)).json();
    }
    if (current.status !== "succeeded")
      throw new Error(`generation ${generation.id} ${current.status}: ${current.failureReason}`);

    // 6. Download the MP4.
    const mp4 = Buffer.from(await (await api("GET", `/generations/${generation.id}/download`)).arrayBuffer());
    if (out) await writeFile(out, mp4);

    // 7. The signed event for this generation.
    const find = () => events.find((entry) => entry.event.data.id === generation.id);
    while (!find()) {
      if (Date.now() > deadline) throw new Error("no verified webhook arrived");
      await new Promise((resolve) => {
        onEvent = resolve;
        setTimeout(resolve, 1000);
      });
    }
    return { generation: current, mp4, webhook: find() };
  } finally {
    if (endpointId) await api("DELETE", `/webhooks/${endpointId}`).catch(() => undefined);
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ANIMATEIMG_API_URL, ANIMATEIMG_API_KEY, PHOTO, OUT, WEBHOOK_PORT } = process.env;
  if (!ANIMATEIMG_API_URL || !ANIMATEIMG_API_KEY || !PHOTO) {
    console.error("Set ANIMATEIMG_API_URL, ANIMATEIMG_API_KEY and PHOTO (and OUT for the MP4).");
    process.exit(2);
  }
  const result = await quickstart({
    apiUrl: ANIMATEIMG_API_URL,
    apiKey: ANIMATEIMG_API_KEY,
    photo: PHOTO,
    out: OUT,
    webhookPort: Number(WEBHOOK_PORT ?? 0),
  });
  console.log(
    JSON.stringify(
      {
        generation: result.generation.id,
        status: result.generation.status,
        mp4Bytes: result.mp4.length,
        webhook: { id: result.webhook.id, type: result.webhook.event.type },
      },
      null,
      2,
    ),
  );
}
