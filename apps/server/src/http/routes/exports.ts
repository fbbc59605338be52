import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { actorOfRequest } from '../audit-trail.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { Problem, problems } from '../../shared/errors.ts';
import { exportView, findExport, requestExport, EXPORT_DAYS } from '../../exports/export-jobs.ts';
import { readExportFile } from '../../exports/export-file.ts';

const exportSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['shop', 'audience']),
    format: z.string().describe('jsonl or csv for a shop; meta, google or tiktok for an audience'),
    segmentId: z.string().nullable(),
    status: z.enum(['queued', 'running', 'done', 'failed', 'expired']),
    fileName: z.string(),
    rows: z.number().int().nullable().describe('rows written (without headers), once done'),
    bytes: z.number().int().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    expiresAt: z.string().describe(`the file is removed then (${EXPORT_DAYS} days after asking)`),
    downloadUrl: z.string().nullable().describe('once done'),
  })
  .meta({ id: 'Export' });

const exportParams = z.object({ exportId: z.string().min(1).max(100) });
const audienceParams = z.object({
  segmentId: z.string().min(1).max(100),
  exportId: z.string().min(1).max(100),
});

/**
 * The whole shop as a zip (docs/export.md) and a segment as an ad platform's audience file
 * (docs/audiences.md): each is asked for with a POST (202), made by the worker, then
 * downloaded while it lasts. Downloads are recorded in the audit log.
 */
export function exportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/exports',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['exports'],
        summary:
          'Export the whole shop as a zip of JSON Lines or CSV files; made in the background',
        description:
          'Customers, orders and their lines, refunds, the points ledger and lots, coupons and their uses, ' +
          'referral codes and referrals, consents and their proof, the messages log, reviews, survey answers, ' +
          'tiers, gift cards and stamp cards: one file per kind (docs/export.md). Answers 202; ' +
          '`GET /v1/exports/{id}` shows when the file is ready.',
        body: z.object({ format: z.enum(['jsonl', 'csv']).default('jsonl') }),
        response: { 202: exportSchema },
      },
    },
    async (request, reply) => {
      const view = await requestExport(
        ctx.db,
        ctx.clock,
        shopOf(request),
        { kind: 'shop', format: request.body.format },
        request.member?.userId ?? null,
      );
      return reply.status(202).send(view);
    },
  );

  r.get(
    '/v1/exports',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['exports'],
        summary: "The shop's latest whole-shop exports, newest first",
        response: { 200: z.object({ data: z.array(exportSchema) }) },
      },
    },
    async (request) => {
      const rows = await ctx.db
        .selectFrom('exports')
        .selectAll()
        .where('shop_id', '=', shopOf(request).id)
        .where('kind', '=', 'shop')
        .orderBy('id', 'desc')
        .limit(20)
        .execute();
      return { data: rows.map(exportView) };
    },
  );

  r.get(
    '/v1/exports/:exportId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['exports'],
        summary: 'One export and its status',
        params: exportParams,
        response: { 200: exportSchema },
      },
    },
    async (request) => exportView(await shopExport(request, request.params.exportId, 'shop')),
  );

  r.get(
    '/v1/exports/:exportId/download',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['exports'],
        summary: 'The finished zip, streamed',
        description: '409 while it is being made or if it failed; 410 once it has expired.',
        produces: ['application/zip'],
        params: exportParams,
        response: { 409: problemSchema, 410: problemSchema },
      },
    },
    async (request, reply) =>
      sendFile(request, reply, await shopExport(request, request.params.exportId, 'shop')),
  );

  r.post(
    '/v1/segments/:segmentId/audiences',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['segments'],
        summary:
          "A segment as an ad platform's customer list (Meta, Google, TikTok): hashed, consenting customers only",
        description:
          'Answers 202; `GET /v1/segments/{segmentId}/audiences/{id}` shows when the CSV is ready (docs/audiences.md).',
        params: z.object({ segmentId: z.string().min(1).max(100) }),
        body: z.object({ platform: z.enum(['meta', 'google', 'tiktok']) }),
        response: { 202: exportSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const view = await requestExport(
        ctx.db,
        ctx.clock,
        shopOf(request),
        { kind: 'audience', platform: request.body.platform, segmentId: request.params.segmentId },
        request.member?.userId ?? null,
      );
      return reply.status(202).send(view);
    },
  );

  r.get(
    '/v1/segments/:segmentId/audiences/:exportId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['segments'],
        summary: 'One audience file and its status',
        params: audienceParams,
        response: { 200: exportSchema },
      },
    },
    async (request) =>
      exportView(await audienceExport(request, request.params.segmentId, request.params.exportId)),
  );

  r.get(
    '/v1/segments/:segmentId/audiences/:exportId/download',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['segments'],
        summary: "The finished audience CSV, in the platform's upload format",
        produces: ['text/csv'],
        params: audienceParams,
        response: { 409: problemSchema, 410: problemSchema },
      },
    },
    async (request, reply) =>
      sendFile(
        request,
        reply,
        await audienceExport(request, request.params.segmentId, request.params.exportId),
      ),
  );

  async function shopExport(request: FastifyRequest, exportId: string, kind: 'shop') {
    const row = await findExport(ctx.db, shopOf(request).id, exportId);
    if (row.kind !== kind) throw problems.notFound(`Export ${exportId}`);
    return row;
  }

  async function audienceExport(request: FastifyRequest, segmentId: string, exportId: string) {
    const row = await findExport(ctx.db, shopOf(request).id, exportId);
    if (row.kind !== 'audience' || row.segment_id !== segmentId) {
      throw problems.notFound(`Audience ${exportId}`);
    }
    return row;
  }

  async function sendFile(
    request: FastifyRequest,
    reply: FastifyReply,
    row: Awaited<ReturnType<typeof findExport>>,
  ) {
    if (row.status === 'expired') {
      throw new Problem(
        410,
        'export-expired',
        'Expired',
        'The file has expired; ask for a new one.',
      );
    }
    if (row.status !== 'done') {
      throw problems.conflict(
        row.status === 'failed'
          ? 'The export failed; ask for a new one.'
          : 'The file is not ready yet.',
      );
    }
    await recordAudit(ctx.db, {
      shopId: row.shop_id,
      at: ctx.clock.now(),
      actor: await actorOfRequest(ctx, request),
      action: `GET ${request.routeOptions.url}`,
      target: { type: row.kind === 'shop' ? 'exports' : 'audiences', id: row.id },
    });
    return reply
      .type(row.content_type)
      .header('content-disposition', `attachment; filename="${row.file_name}"`)
      .header('content-length', String(row.bytes))
      .header('cache-control', 'private, no-store')
      .send(Readable.from(readExportFile(ctx.db, row.shop_id, row.id)));
  }
}
