import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import {
  getMessage,
  listMessages,
  listOutbox,
  outboxMail,
} from '../../automations/message-view.ts';
import { summarizeMessages } from '../../analytics/summarize-messages.ts';
import { toCsv } from '../../shared/to-csv.ts';
import { sendCsv, wantsCsv } from '../csv-reply.ts';
import { zonedTime } from '../../shared/zoned-time.ts';

/** The instant a day (YYYY-MM-DD) begins in the shop's time zone. */
function dayStart(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return zonedTime(timeZone, y, m, d);
}

const tags = ['messaging'];
const messageSchema = z.record(z.string(), z.unknown()).meta({ id: 'Message' });

/** The delivery log and, without SMTP_URL, the local outbox where mail is kept. */
export function messageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/messages',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'The delivery log, newest first: status (queued, sent, delivered, bounced, failed, suppressed with the reason, uncertain), opens, clicks, conversions',
        querystring: z.object({
          customerId: z.string().min(1).max(255).optional(),
          status: z
            .enum([
              'queued',
              'claimed',
              'sending',
              'sent',
              'delivered',
              'bounced',
              'failed',
              'suppressed',
              'uncertain',
            ])
            .optional(),
          channel: z.enum(['email', 'sms', 'push', 'webhook']).optional(),
          purpose: z.enum(['transactional', 'marketing', 'loyalty', 'feedback']).optional(),
          from: z.iso.date().optional().describe('queued on or after this day (shop time zone)'),
          to: z.iso
            .date()
            .optional()
            .describe('queued before this day (exclusive; shop time zone)'),
          flowId: z.string().max(64).optional(),
          cursor: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: {
          200: z.object({ messages: z.array(messageSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    async (request) => {
      const { customerId, status, channel, purpose, from, to, flowId, cursor, limit } =
        request.query;
      const shop = shopOf(request);
      return listMessages(ctx.db, shop.id, {
        limit,
        ...(purpose ? { purpose } : {}),
        ...(from ? { from: dayStart(from, shop.timezone) } : {}),
        ...(to ? { to: dayStart(to, shop.timezone) } : {}),
        ...(customerId ? { customerId } : {}),
        ...(status ? { status } : {}),
        ...(channel ? { channel } : {}),
        ...(flowId ? { flowId } : {}),
        ...(cursor ? { cursor } : {}),
      });
    },
  );

  r.get(
    '/v1/messages/:messageId',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'One message of the log',
        params: z.object({ messageId: z.string().min(1).max(64) }),
        response: { 200: messageSchema },
      },
    },
    async (request) => getMessage(ctx.db, shopOf(request).id, request.params.messageId),
  );

  const day = z.iso.date();
  r.get(
    '/v1/analytics/messages',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          'Message results per channel and purpose: sent, delivered, held back (why), opened, clicked, converted and their revenue; CSV with Accept: text/csv',
        description:
          'Messages queued in [from, to), days in the shop time zone. Rates are over messages sent.',
        querystring: z
          .object({ from: day, to: day.describe('exclusive') })
          .refine((r) => r.from < r.to, { message: 'must be after from', path: ['to'] }),
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      const summary = await summarizeMessages(ctx.db, shopOf(request), from, to);
      if (!wantsCsv(request.headers.accept)) return summary;
      const columns = [
        'channel',
        'purpose',
        'queued',
        'sent',
        'delivered',
        'bounced',
        'failed',
        'uncertain',
        'suppressed',
        'opened',
        'clicked',
        'converted',
        'revenue',
        'openRate',
        'clickRate',
        'conversionRate',
      ] as const;
      const rows = summary.results.map((r) => columns.map((c) => r[c]));
      return sendCsv(reply, 'messages', toCsv([...columns], rows));
    },
  );

  r.get(
    '/v1/outbox',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Mail kept in the local outbox (when SMTP_URL is not set), newest first',
        querystring: z.object({
          cursor: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: {
          200: z.object({
            mails: z.array(
              z.object({
                messageId: z.string(),
                to: z.string(),
                subject: z.string(),
                createdAt: z.string(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request) =>
      listOutbox(ctx.db, shopOf(request).id, request.query.cursor, request.query.limit),
  );

  r.get(
    '/v1/outbox/:messageId',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'One outbox mail with its full MIME text (as SMTP would have carried it)',
        params: z.object({ messageId: z.string().min(1).max(64) }),
        response: {
          200: z.object({
            messageId: z.string(),
            to: z.string(),
            subject: z.string(),
            raw: z.string(),
            createdAt: z.string(),
          }),
        },
      },
    },
    async (request) => outboxMail(ctx.db, shopOf(request).id, request.params.messageId),
  );
}
