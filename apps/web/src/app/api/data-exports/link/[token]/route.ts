import { dataExportDownload } from "~/server/data-export-download";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ token: string }>;
}

/** The signed link in the "your export is ready" email: no session needed, expires with the archive. */
export async function GET(req: Request, { params }: Context): Promise<Response> {
  return dataExportDownload(req, { token: (await params).token });
}
