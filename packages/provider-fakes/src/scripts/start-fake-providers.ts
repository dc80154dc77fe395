// Offline demos: `pnpm --filter @animateimg/provider-fakes start` serves every fake provider on
// FAKE_PROVIDERS_PORT (default 4010) and prints the base URLs and keys to put in .env.
import { ensureFakeVideo, startFakeProviders } from "../index";

const port = Number(process.env.FAKE_PROVIDERS_PORT ?? 4010);
const videoPath = await ensureFakeVideo();
const fakes = await startFakeProviders({ port, videoPath, lifecycle: { completeAfterMs: 5000 } });
console.log(`fake providers on ${fakes.origin}`);
for (const [id, url] of Object.entries(fakes.baseUrls)) console.log(`  ${id}: ${url}`);
console.log(`  fal JWKS: ${fakes.falJwksUrl}`);
console.log(`  credentials: ${JSON.stringify(fakes.credentials)}`);
const stop = () => void fakes.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
