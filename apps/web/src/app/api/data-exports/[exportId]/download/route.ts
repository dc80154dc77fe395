import { dataExportDownload } from "~/server/data-export-download";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ exportId: string }>;
}

/** The signed-in owner downloads their export archive (Settings → Export your data). */
export async function GET(req: Request, { params }: Context): Promise<Response> {
  return dataExportDownload(req, { exportId: (await params).exportId });
}
