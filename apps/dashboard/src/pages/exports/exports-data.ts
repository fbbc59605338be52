import { api } from '../../api/client.ts';

/** An export's state (apps/server/src/http/routes/exports.ts): a whole-shop zip or an audience CSV. */
export interface ExportJob {
  id: string;
  kind: 'shop' | 'audience';
  format: string;
  segmentId: string | null;
  status: 'queued' | 'running' | 'done' | 'failed' | 'expired';
  fileName: string;
  rows: number | null;
  bytes: number | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string;
  downloadUrl: string | null;
}

export type AudiencePlatform = 'meta' | 'google' | 'tiktok';

export const startShopExport = (format: 'jsonl' | 'csv') =>
  api<ExportJob>('POST', '/v1/exports', { body: { format } });
export const loadShopExport = (id: string) =>
  api<ExportJob>('GET', `/v1/exports/${encodeURIComponent(id)}`);

export const startAudience = (segmentId: string, platform: AudiencePlatform) =>
  api<ExportJob>('POST', `/v1/segments/${encodeURIComponent(segmentId)}/audiences`, {
    body: { platform },
  });
export const loadAudience = (segmentId: string, id: string) =>
  api<ExportJob>(
    'GET',
    `/v1/segments/${encodeURIComponent(segmentId)}/audiences/${encodeURIComponent(id)}`,
  );
