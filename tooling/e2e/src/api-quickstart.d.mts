// Types of api-quickstart.mjs (plain JavaScript, so readers can copy it as is).
export interface QuickstartResult {
  generation: { id: string; status: string; downloadUrl: string | null; private: boolean };
  mp4: Buffer;
  webhook: {
    id: string;
    event: {
      type: string;
      timestamp: string;
      data: { id: string; status: string; private: boolean } & Record<string, unknown>;
    };
  };
}

export function quickstart(options: {
  apiUrl: string;
  apiKey: string;
  photo: string;
  out?: string;
  webhookPort?: number;
  timeoutMs?: number;
}): Promise<QuickstartResult>;
