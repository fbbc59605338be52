import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditActor } from '../audit/audit-entry.ts';
import {
  announceAudit,
  confirmAudit,
  dropAuditIntent,
  recordAudit,
  type AuditIntent,
} from '../audit/record-audit.ts';
import type { AppContext } from './context.ts';
import { REDACTED, secretsInUrl } from './redact-url.ts';
import { routeKey } from './route-roles.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Configuration writes keep the state before and after them: read through the route named
 * here (with the caller's own credentials), `pick` choosing the one item of a list. Writes not
 * named keep who, when, what and on what.
 */
export const CONFIGURATION_READS: Readonly<
  Record<string, { read: string; pick?: { param: string; field?: string } } | null>
> = {
  'PATCH /v1/shop': { read: '/v1/shop' },
  'PUT /v1/programme/draft': { read: '/v1/programme' },
  'DELETE /v1/programme/draft': { read: '/v1/programme' },
  'POST /v1/programme/draft/publish': { read: '/v1/programme' },
  'POST /v1/rewards': null,
  'PUT /v1/rewards/:rewardId': { read: '/v1/rewards', pick: { param: 'rewardId' } },
  'DELETE /v1/rewards/:rewardId': { read: '/v1/rewards', pick: { param: 'rewardId' } },
  'POST /v1/coupon-campaigns': null,
  'DELETE /v1/coupon-campaigns/:campaignId': { read: '/v1/coupon-campaigns/:campaignId' },
  'PUT /v1/tiers': { read: '/v1/tiers' },
  'POST /v1/stamp-cards': null,
  'PUT /v1/stamp-cards/:programmeId': { read: '/v1/stamp-cards', pick: { param: 'programmeId' } },
  'POST /v1/achievements': null,
  'DELETE /v1/achievements/:achievementId': {
    read: '/v1/achievements',
    pick: { param: 'achievementId' },
  },
  'POST /v1/segments': null,
  'DELETE /v1/segments/:segmentId': { read: '/v1/segments', pick: { param: 'segmentId' } },
  'PUT /v1/referrals/storefront': null,
  'POST /v1/referral-campaigns': null,
  'PUT /v1/referral-campaigns/:campaignId': {
    read: '/v1/referral-campaigns',
    pick: { param: 'campaignId' },
  },
  'POST /v1/affiliates': null,
  'PUT /v1/affiliates/:affiliateId': { read: '/v1/affiliates', pick: { param: 'affiliateId' } },
  'POST /v1/flows': null,
  'PUT /v1/flows/:flowId': { read: '/v1/flows/:flowId' },
  'POST /v1/flows/ready/:key': null,
  'PUT /v1/messaging/settings': { read: '/v1/messaging/settings' },
  'PUT /v1/messaging/templates/:key/:channel/:locale': {
    read: '/v1/messaging/templates/:key/:channel/:locale',
  },
  'DELETE /v1/messaging/templates/:key/:channel/:locale': {
    read: '/v1/messaging/templates/:key/:channel/:locale',
  },
  'PATCH /v1/surveys/settings': { read: '/v1/surveys/settings' },
  'PUT /v1/social-proof/settings': { read: '/v1/social-proof/settings' },
  'POST /v1/api-keys': null,
  'DELETE /v1/api-keys/:keyId': { read: '/v1/api-keys', pick: { param: 'keyId' } },
  'POST /v1/webhook-endpoints': null,
  'POST /v1/webhook-endpoints/:id/disable': {
    read: '/v1/webhook-endpoints',
    pick: { param: 'id' },
  },
  'POST /v1/staff': null,
  'DELETE /v1/staff/:staffId': { read: '/v1/staff', pick: { param: 'staffId' } },
  'POST /v1/team/invitations': null,
  'DELETE /v1/team/invitations/:invitationId': {
    read: '/v1/team/invitations',
    pick: { param: 'invitationId' },
  },
  'PATCH /v1/team/members/:userId': {
    read: '/v1/team/members',
    pick: { param: 'userId', field: 'userId' },
  },
  'DELETE /v1/team/members/:userId': {
    read: '/v1/team/members',
    pick: { param: 'userId', field: 'userId' },
  },
  'POST /v1/customers/:customerId/erasure': null,
};

/**
 * Writes that are not recorded, each for its reason: they answer a question and change
 * nothing a person set, or they are inbound data at machine rates kept in their own log.
 * (Ingestion routes, `rateClass: 'ingest'`, are left out too: inbound_events is their log.)
 */
export const NOT_RECORDED: ReadonlySet<string> = new Set([
  'POST /v1/coupons/validate', // a check at checkout
  'POST /v1/segments/preview',
  'POST /v1/tiers/preview',
  'POST /v1/programme/draft/backtest',
  'POST /v1/messaging/templates/:key/:channel/:locale/preview',
  'POST /v1/sms/inbound', // kept as the customer's consent change and message events
  'POST /v1/messages/:messageId/events', // delivery reports, kept in message_events
]);

interface PendingAudit {
  key: string;
  before?: unknown;
  /** The intent announced before the write, when the shop was known then. */
  intent?: AuditIntent;
}

declare module 'fastify' {
  interface FastifyRequest {
    audit: PendingAudit | undefined;
  }
}

/** Writes that answer a question and change nothing a person set are not recorded. */
export function isRecorded(
  method: string,
  url: string,
  config: { auth?: string | undefined; rateClass?: string | undefined },
  byStaff: boolean,
): boolean {
  if (!WRITES.has(method) || config.rateClass === 'ingest') return false;
  if (NOT_RECORDED.has(routeKey(method, url))) return false;
  return config.auth === 'shop' || config.auth === 'operator' || byStaff;
}

/**
 * The audit log is written here, for every successful write of a shop, operator or staff
 * route, so no route can forget it: the action is the route (`PUT /v1/rewards/:rewardId`),
 * the target its path parameters (or the id it created), and for configuration the state
 * before and after. Registered after idempotency: a replayed answer is not a second write.
 *
 * No write on a shop runs unannounced: before the handler, an intent (who, what, on what, the
 * state before) is stored, and a write whose intent cannot be stored is not run (the database
 * is down: 503). The operator's creation of a shop has no shop yet to announce it in: it is
 * recorded after it answers. A 2xx answer turns the intent into the entry in one transaction; a 4xx drops it
 * (the write was refused and changed nothing). An intent left behind, by a 5xx, a crash or a
 * database lost between the write and its entry, is logged as unconfirmed by a sweep
 * (`record-abandoned-audit` in app/periodic-tasks.ts).
 */
export function registerAuditTrail(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('audit', undefined);

  app.addHook('preHandler', async (request) => {
    const url = request.routeOptions.url ?? request.url;
    const byStaff = request.staff !== undefined;
    if (!isRecorded(request.method, url, request.routeOptions.config, byStaff)) return;
    const key = routeKey(request.method, url);
    const reads = CONFIGURATION_READS[key];
    const before = reads ? await readState(app, request, reads) : undefined;
    const shopId = request.shop?.id ?? paramOf(request, 'shopId');
    const intent = shopId
      ? await announceAudit(ctx.db, {
          shopId,
          at: ctx.clock.now(),
          actor: await actorOfRequest(ctx, request),
          action: key,
          target: targetOf(request, null),
          ...(key in CONFIGURATION_READS && { before: before ?? null }),
        })
      : undefined;
    request.audit = { key, before, ...(intent !== undefined && { intent }) };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const pending = request.audit;
    request.audit = undefined;
    if (!pending) return payload;
    try {
      if (reply.statusCode < 200 || reply.statusCode >= 300) {
        if (pending.intent !== undefined && reply.statusCode < 500) {
          await dropAuditIntent(ctx.db, pending.intent);
        }
        return payload;
      }
      const body = parseJson(payload);
      const reads = CONFIGURATION_READS[pending.key];
      const shopId = request.shop?.id ?? paramOf(request, 'shopId') ?? idOf(body);
      if (!shopId) return payload;
      const configuration = pending.key in CONFIGURATION_READS;
      const after = reads ? await readState(app, request, reads) : body;
      const entry = {
        shopId,
        at: ctx.clock.now(),
        actor: await actorOfRequest(ctx, request),
        action: pending.key,
        target: targetOf(request, body),
        ...(configuration && { before: pending.before ?? null, after: after ?? null }),
      };
      if (pending.intent !== undefined) await confirmAudit(ctx.db, pending.intent, entry);
      else await recordAudit(ctx.db, entry);
    } catch (error) {
      // The write is done; its intent stays and is logged as unconfirmed by the sweep.
      request.log.error({ err: error, action: pending.key }, 'audit entry not recorded');
    }
    return payload;
  });
}

export async function actorOfRequest(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<AuditActor> {
  if (request.member) {
    return { type: 'user', id: request.member.userId, name: request.member.name };
  }
  if (request.staff) return { type: 'staff', id: request.staff.id, name: request.staff.name };
  const keyId = (request.shop as { api_key_id?: string } | null)?.api_key_id;
  if (keyId) {
    const key = await ctx.db
      .selectFrom('api_keys')
      .select(['label', 'token_hint'])
      .where('id', '=', keyId)
      .executeTakeFirst();
    return { type: 'api_key', id: keyId, name: key ? (key.label ?? `…${key.token_hint}`) : null };
  }
  return { type: 'system', id: null, name: request.operator ? 'operator' : null };
}

function paramOf(request: FastifyRequest, name: string): string | undefined {
  const value = (request.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

function idOf(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * What the write was on: the path's parameters (`customers` `c-1`), or for a route without
 * any the collection and the id the answer gives (`rewards` `rwd_…`). A parameter that is a
 * secret in the URL (a gift card's code) is recorded as `[redacted]`, as in the logs.
 */
function targetOf(
  request: FastifyRequest,
  body: unknown,
): { type: string | null; id: string | null } {
  const url = request.routeOptions.url ?? '';
  const segments = url.split('/').filter((s) => s !== '' && s !== 'v1');
  const firstParam = segments.findIndex((s) => s.startsWith(':'));
  if (firstParam > 0) {
    const secrets = secretsInUrl(request.url);
    const values = segments
      .filter((s) => s.startsWith(':'))
      .map((s) => paramOf(request, s.slice(1)) ?? '')
      .map((value) => (secrets.includes(value) ? REDACTED : value));
    return { type: segments[firstParam - 1]!, id: values.join('/') };
  }
  return { type: segments[segments.length - 1] ?? null, id: idOf(body) ?? null };
}

function parseJson(payload: unknown): unknown {
  if (typeof payload !== 'string' || payload === '') return null;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return null;
  }
}

/** The state a configuration route reads, asked of the app with the caller's credentials. */
async function readState(
  app: FastifyInstance,
  request: FastifyRequest,
  reads: { read: string; pick?: { param: string; field?: string } },
): Promise<unknown> {
  const url = reads.read.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(paramOf(request, name) ?? ''),
  );
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'cookie', 'lojal-shop']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const res = await app.inject({ method: 'GET', url, headers });
  if (res.statusCode !== 200) return null;
  const state = res.json<unknown>();
  if (!reads.pick) return state;
  const list = Array.isArray(state) ? state : (state as { data?: unknown }).data;
  const wanted = paramOf(request, reads.pick.param);
  const field = reads.pick.field ?? 'id';
  return Array.isArray(list)
    ? (list.find((item) => (item as Record<string, unknown>)[field] === wanted) ?? null)
    : null;
}
