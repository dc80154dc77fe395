import { serveFile } from "~/server/showcase/serve-file";
import { showcaseFiles, type ShowcaseFiles } from "~/server/showcase/showcase";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const files: Record<string, { key: keyof ShowcaseFiles; type: string }> = {
  "photo.jpg": { key: "photo", type: "image/jpeg" },
  "animate.mp4": { key: "video", type: "video/mp4" },
  "poster.jpg": { key: "poster", type: "image/jpeg" },
};

interface Context {
  params: Promise<{ file: string }>;
}

/** The landing page's before → after (see showcase/README.md); waits for the render if it is still running. */
async function handle(req: Request, { params }: Context): Promise<Response> {
  const file = files[(await params).file];
  if (!file) return new Response("Not found", { status: 404 });
  try {
    const paths = await showcaseFiles();
    return await serveFile(req, paths[file.key], file.type);
  } catch {
    return new Response("The example video could not be made on this server right now.", {
      status: 503,
      headers: { "Retry-After": "30" },
    });
  }
}

export const GET = handle;
export const HEAD = handle;
