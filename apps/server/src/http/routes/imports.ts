import { z } from 'zod';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { actorOf, shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { problems } from '../../shared/errors.ts';
import { IMPORT_KINDS } from '../../imports/import-records.ts';
import { IMPORT_FORMATS } from '../../imports/import-formats.ts';
import { readImportFile } from '../../imports/read-import-file.ts';
import { runImport } from '../../imports/run-import.ts';
import { importView, listImports } from '../../imports/import-view.ts';

/** Bodies read as a stream, straight into the import's rows. */
const FILE_TYPES = [
  'text/csv',
  'application/x-ndjson',
  'application/jsonl',
  'application/octet-stream',
];

const importSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    format: z.string(),
    fileName: z.string().nullable(),
    dryRun: z.boolean(),
    status: z
      .enum(['reading', 'ready', 'running', 'done', 'failed', 'duplicate'])
      .describe('"duplicate": this file was imported already (duplicateOf); nothing was applied'),
    duplicateOf: z.string().nullable(),
    contentHash: z.string().nullable().describe("SHA-256 of the file's bytes"),
    progress: z.object({
      rowsRead: z.number(),
      rowsApplied: z.number(),
      rowsFailed: z.number(),
      percent: z.number(),
      batches: z.number(),
    }),
    changes: z
      .record(z.string(), z.number())
      .describe(
        'what the import changed, or in a dry run would change: {"customers.created": 3, …}',
      ),
    errors: z
      .array(z.object({ line: z.number(), message: z.string() }))
      .describe('refused rows, by the line of the file they start on'),
    nextErrorsAfter: z.number().nullable().describe('more errors: ask again with errorsAfter'),
    error: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Import' });

export function importRoutes(app: FastifyInstance, ctx: AppContext): void {
  // The file is read as it arrives; nothing buffers it (its size is checked while reading).
  app.addContentTypeParser(FILE_TYPES, (_request, payload, done) => done(null, payload));
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/imports',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['imports'],
        summary:
          'Import a file: customers, orders, refunds, points, tiers, referral codes, coupons or gift cards',
        description:
          'The body is the file itself (`Content-Type: text/csv` or `application/x-ndjson`), streamed to the ' +
          'database, at most LOJAL_IMPORT_MAX_BYTES. The file is checked row by row, then applied in batches in ' +
          'the background: follow it with GET /v1/imports/{importId}. With `dryRun=true` nothing changes and the ' +
          'report says what would. The same file imported again changes nothing (status "duplicate"); ' +
          'an `Idempotency-Key` reused with the same file returns the first import. See docs/import.md.',
        querystring: z.object({
          kind: z.enum(IMPORT_KINDS),
          format: z.enum(IMPORT_FORMATS).default('lojal-csv'),
          dryRun: z.enum(['true', 'false']).default('false'),
          fileName: z.string().max(255).optional(),
        }),
        response: { 202: importSchema, 409: problemSchema, 413: problemSchema, 415: problemSchema },
      },
    },
    async (request, reply) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== 'function') {
        throw problems.unsupportedMediaType(`Send the file as ${FILE_TYPES.join(', ')}.`);
      }
      const shop = shopOf(request);
      const key = request.headers['idempotency-key'];
      const id = await readImportFile(ctx.db, ctx.pool, ctx.clock, shop, {
        kind: request.query.kind,
        format: request.query.format,
        fileName: request.query.fileName ?? null,
        dryRun: request.query.dryRun === 'true',
        actor: actorOf(request),
        idempotencyKey: typeof key === 'string' && key !== '' ? key.slice(0, 255) : undefined,
        body,
        maxBytes: ctx.config.importMaxBytes,
      });
      // Applied in the background; a crash is taken up by the resume-imports sweep.
      runImport(ctx.db, ctx.clock, shop, id).catch((error: unknown) =>
        request.log.error({ err: error, importId: id }, 'import stopped'),
      );
      return reply.status(202).send(await importView(ctx.db, shop.id, id));
    },
  );

  r.get(
    '/v1/imports',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['imports'],
        summary: 'The shop’s imports, newest first (without their errors)',
        response: {
          200: z.object({
            data: z.array(importSchema.omit({ errors: true, nextErrorsAfter: true })),
          }),
        },
      },
    },
    async (request) => ({ data: await listImports(ctx.db, shopOf(request).id) }),
  );

  r.get(
    '/v1/imports/:importId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['imports'],
        summary: 'An import’s status, progress, changes and refused rows (each with its line)',
        params: z.object({ importId: z.string().max(100) }),
        querystring: z.object({
          errorsAfter: z.coerce.number().int().min(0).optional(),
          errorsLimit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
        response: { 200: importSchema, 404: problemSchema },
      },
    },
    async (request) =>
      importView(ctx.db, shopOf(request).id, request.params.importId, request.query),
  );
}
