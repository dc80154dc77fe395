// Offline demo mode (`npm start -- --demo-providers`): every upstream provider is played by
// its local fake, speaking the real protocol, so Kling 3.0, VEO 3.1, Seedance 2.0 and Motion
// Control can be tried on a machine with no provider keys and no internet. The fakes call
// back the web app's webhook route like the real providers do and return real MP4s.
import { ensureFakeVideo, startFakeProviders } from "@animateimg/provider-fakes";

export async function startDemoProviders(options: { webUrl: string; log: (line: string) => void }) {
  const fakes = await startFakeProviders({
    videoPath: await ensureFakeVideo(),
    // Jobs finish on their own after a few seconds (webhooks), or sooner when polled.
    lifecycle: { queuedPolls: 2, pollsToComplete: 6, completeAfterMs: 8000 },
  });
  const c = fakes.credentials;
  options.log(
    `providers: demo mode, local fakes of Kling, Google, BytePlus, Kie, fal and Replicate at ${fakes.origin}`,
  );
  return {
    env: {
      KLING_BASE_URL: fakes.baseUrls.kling,
      KLING_ACCESS_KEY: c.kling.accessKey,
      KLING_SECRET_KEY: c.kling.secretKey,
      GOOGLE_GEMINI_BASE_URL: fakes.baseUrls.google,
      GOOGLE_GEMINI_API_KEY: c.google.apiKey,
      GOOGLE_GEMINI_WEBHOOK_SECRET: c.google.webhookSecret,
      BYTEPLUS_ARK_BASE_URL: fakes.baseUrls.bytedance,
      BYTEPLUS_ARK_API_KEY: c.bytedance.apiKey,
      KIE_BASE_URL: fakes.baseUrls.kie,
      KIE_API_KEY: c.kie.apiKey,
      KIE_WEBHOOK_HMAC_KEY: c.kie.webhookHmacKey,
      FAL_QUEUE_BASE_URL: fakes.baseUrls.fal,
      FAL_KEY: c.fal.apiKey,
      FAL_JWKS_URL: fakes.falJwksUrl,
      REPLICATE_BASE_URL: fakes.baseUrls.replicate,
      REPLICATE_API_TOKEN: c.replicate.apiToken,
      REPLICATE_WEBHOOK_SECRET: c.replicate.webhookSecret,
      PROVIDER_WEBHOOK_BASE_URL: options.webUrl,
      FAL_PLATFORM_BASE_URL: fakes.falPlatformBaseUrl,
    } satisfies Record<string, string>,
    stop: () => fakes.stop(),
  };
}
