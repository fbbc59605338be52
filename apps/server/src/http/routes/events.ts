import { PLATFORMS } from '../../connections/connector.ts';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problems } from '../../shared/errors.ts';
import { sha256 } from '../../shared/secrets.ts';
import { jsonBodyProblem } from '../json-body.ts';
import { presentOf, refuseFutureTimes } from '../../shared/client-time.ts';
import {
  apiEventDelivery,
  apiEventPhones,
  apiEventSchema,
  apiEventTimes,
} from '../../ingest/api-event.ts';
import { phoneRegionOf, toE164 } from '../../shared/phone.ts';
import { inboundEventView } from '../../ingest/inbound-event-view.ts';
import { replayEvents } from '../../ingest/replay-events.ts';

const acceptedSchema = z.object({
  eventId: z.string(),
  status: z.enum(['accepted', 'duplicate']),
});

const statusSchema = z.enum(['pending', 'processed', 'ignored', 'waiting', 'failed']);

const eventSchema = z
  .object({
    id: z.string(),
    source: z.enum(['api', ...PLATFORMS]),
    topic: z.string(),
    deliveryId: z.string().nullable(),
    status: statusSchema,
    reason: z.string().nullable(),
    waitingFor: z.string().nullable(),
    attempts: z.number().int(),
    verified: z.boolean(),
    receivedAt: z.string(),
    occurredAt: z.string().nullable(),
    processedAt: z.string().nullable(),
    body: z.string().optional(),
  })
  .meta({ id: 'InboundEvent' });

export function eventRoutes(app: FastifyInstance, ctx: AppContext): void {
  // The raw bytes are what gets stored, and what an Idempotency-Key retry is compared by.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).includes('\\u0000')) {
      // PostgreSQL text cannot hold NUL; refuse it here rather than fail later
      done(problems.badRequest('Strings may not contain the NUL character (\\u0000).'), undefined);
      return;
    }
    request.rawBody = body as string;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body as string);
    } catch (error) {
      done(
        problems.badRequest(`The body is not valid JSON: ${(error as Error).message}`),
        undefined,
      );
      return;
    }
    const problem = jsonBodyProblem(body as string, parsed);
    if (problem) return done(problem, undefined);
    done(null, parsed);
  });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/events',
    {
      config: { auth: 'shop', rateClass: 'ingest' },
      schema: {
        tags: ['ingestion'],
        summary: 'Send one shop event (customer, order, refund, cancellation, fulfilment)',
        description:
          'Stored before the answer, then processed asynchronously. The same event (same ' +
          'Idempotency-Key, or same type + id) never takes effect twice. Times may run at most ' +
          '5 minutes ahead of the server clock and birthdays may not lie in the future; a phone ' +
          'must be a valid number, in international form or as written in the shop’s country ' +
          '(stored in E.164: "600 100 200" in a Polish shop is +48600100200); each ' +
          'amount is at most 10^12 minor units, each quantity at most 1,000,000.',
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }),
        body: apiEventSchema,
        response: { 202: acceptedSchema },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const event = request.body;
      const { times, dates } = apiEventTimes(event);
      refuseFutureTimes(presentOf(ctx.clock.now()), times, dates);
      refuseInvalidPhones(apiEventPhones(event), phoneRegionOf(shop));
      const idempotencyKey = request.headers['idempotency-key'] ?? null;
      const raw = request.rawBody ?? JSON.stringify(event);
      const requestHash = sha256(raw);
      const stored = await ctx.inbox.write(
        apiEventDelivery(shop.id, event, { raw, idempotencyKey, requestHash }),
      );
      let status: 'accepted' | 'duplicate' = 'accepted';
      if (stored.duplicate && stored.matchedBy === 'idempotency-key') {
        if (!stored.requestHash?.equals(requestHash)) {
          throw problems.conflict('This Idempotency-Key was used with a different request.');
        }
      } else if (stored.duplicate) {
        status = 'duplicate';
      }
      ctx.metrics.deliveriesAccepted.inc({ source: 'api', result: status });
      return reply.status(202).send({ eventId: stored.eventId, status });
    },
  );

  r.get(
    '/v1/events',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['ingestion'],
        summary: 'Inbound events and deliveries, newest first; filter by status to find failures',
        querystring: z.object({
          status: statusSchema.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: z.string().optional().describe('An event id: return events older than it'),
        }),
        response: {
          200: z.object({ data: z.array(eventSchema), nextBefore: z.string().nullable() }),
        },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      const { status, limit, before } = request.query;
      let query = ctx.db
        .selectFrom('inbound_events')
        .select([
          'shop_id',
          'id',
          'source',
          'topic',
          'delivery_id',
          'idempotency_key',
          'request_hash',
          'verified',
          'headers',
          'received_at',
          'occurred_at',
          'status',
          'waiting_for',
          'attempts',
          'reason',
          'processed_at',
        ])
        .where('shop_id', '=', shop.id)
        .orderBy('id', 'desc')
        .limit(limit + 1);
      if (status) query = query.where('status', '=', status);
      if (before) query = query.where('id', '<', before);
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      return {
        data: page.map((row) => inboundEventView(row)),
        nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );

  r.get(
    '/v1/events/:eventId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['ingestion'],
        summary: 'One inbound event with its raw body, status and the reason it failed',
        params: z.object({ eventId: z.string() }),
        response: { 200: eventSchema },
      },
    },
    async (request) => {
      const row = await ctx.db
        .selectFrom('inbound_events')
        .selectAll()
        .where('shop_id', '=', shopOf(request).id)
        .where('id', '=', request.params.eventId)
        .executeTakeFirst();
      if (!row) throw problems.notFound(`Event ${request.params.eventId}`);
      return inboundEventView(row, true);
    },
  );

  r.post(
    '/v1/events/:eventId/replay',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['ingestion'],
        summary: 'Process an event again (after a fix); effects already applied are not repeated',
        params: z.object({ eventId: z.string() }),
        response: {
          202: z.object({ eventId: z.string(), status: z.literal('pending') }),
        },
      },
    },
    async (request, reply) => {
      const shopId = shopOf(request).id;
      const exists = await ctx.db
        .selectFrom('inbound_events')
        .select('id')
        .where('shop_id', '=', shopId)
        .where('id', '=', request.params.eventId)
        .executeTakeFirst();
      if (!exists) throw problems.notFound(`Event ${request.params.eventId}`);
      await replayEvents(ctx.db, { shopId, eventIds: [exists.id] });
      return reply.status(202).send({ eventId: exists.id, status: 'pending' as const });
    },
  );
}

/** A phone that is no number in the shop's region is refused with its path (SMS would bounce). */
function refuseInvalidPhones(
  phones: Array<{ path: string; phone: string }>,
  region: ReturnType<typeof phoneRegionOf>,
): void {
  const errors = phones
    .filter((p) => toE164(p.phone, region) === null)
    .map((p) => ({
      path: p.path,
      message: region
        ? `must be a phone number, international (+48 600 100 200) or as written in ${region}`
        : 'must be a phone number in international form (+48 600 100 200)',
    }));
  if (errors.length > 0) throw problems.validation(errors);
}
