import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { actorOf, shopOf } from '../auth.ts';
import { moneySchema as money, problemSchema } from '../schemas.ts';
import { programmeSchema } from '../../points/programme.ts';
import {
  discardDraft,
  getProgramme,
  publishDraft,
  ruleKindList,
  saveDraft,
} from '../../points/manage-programme.ts';
import { backtestDraft } from '../../points/backtest-programme.ts';
import { listProgrammeVersions } from '../../points/list-programme-versions.ts';

const programmeView = z.object({
  live: z
    .record(z.string(), z.unknown())
    .describe('{version, publishedAt, rules, campaigns, settings}'),
  draft: z.record(z.string(), z.unknown()).nullable(),
});

export function programmeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/programme',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['programme'],
        summary: 'The live programme (earning rules, campaigns, settings) and the draft, if any',
        response: { 200: programmeView },
      },
    },
    async (request) => getProgramme(ctx.db, shopOf(request)),
  );

  r.get(
    '/v1/programme/versions',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['programme'],
        summary: 'The published versions, newest first: rules, campaigns, settings, who and when',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                version: z.number().int(),
                publishedAt: z.string(),
                publishedBy: z.object({
                  type: z.enum(['user', 'api_key', 'system']),
                  id: z.string().nullable(),
                  name: z.string().nullable().describe("the member's name; null for keys"),
                }),
                rules: z.array(z.record(z.string(), z.unknown())),
                campaigns: z.array(z.record(z.string(), z.unknown())),
                settings: z.record(z.string(), z.unknown()),
              }),
            ),
          }),
        },
      },
    },
    async (request) => listProgrammeVersions(ctx.db, shopOf(request)),
  );

  r.get(
    '/v1/programme/rule-kinds',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['programme'],
        summary:
          'The earning rule registry: each code with its Polish/English title and args JSON Schema',
        response: {
          200: z.array(
            z.object({
              code: z.string(),
              title: z.object({ pl: z.string(), en: z.string() }),
              args: z.unknown(),
            }),
          ),
        },
      },
    },
    async () => ruleKindList(),
  );

  r.put(
    '/v1/programme/draft',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['programme'],
        summary: 'Save the draft: rules as {id, code, args, cap?}, campaigns, settings',
        body: programmeSchema,
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async (request) => saveDraft(ctx.db, shopOf(request), request.body),
  );

  r.delete(
    '/v1/programme/draft',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['programme'],
        summary: 'Discard the draft',
        response: { 204: z.null(), 404: problemSchema },
      },
    },
    async (request, reply) => {
      await discardDraft(ctx.db, shopOf(request));
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/v1/programme/draft/backtest',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['programme'],
        summary: 'Replay the last N days of paid orders under the draft and the live version',
        body: z.object({ days: z.number().int().min(1).max(730).default(30) }),
        response: {
          404: problemSchema,
          200: z.object({
            from: z.string(),
            to: z.string(),
            orders: z.number().int(),
            customers: z.number().int(),
            live: z.object({ version: z.number().int(), points: z.number().int(), cost: money }),
            draft: z.object({ version: z.number().int(), points: z.number().int(), cost: money }),
            difference: z.number().int(),
            customersAffected: z.number().int(),
            largestDifferences: z.array(
              z.object({
                orderId: z.string(),
                customerId: z.string(),
                live: z.number().int(),
                draft: z.number().int(),
                difference: z.number().int(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => backtestDraft(ctx.db, ctx.clock, shopOf(request), request.body.days),
  );

  r.post(
    '/v1/programme/draft/publish',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['programme'],
        summary: 'Publish the draft as the new live version',
        response: { 200: programmeView, 404: problemSchema },
      },
    },
    async (request) => publishDraft(ctx.db, ctx.clock, shopOf(request), actorOf(request)),
  );
}
