import { sql } from 'kysely';
import type { DiscountSpec } from '../coupons/coupon-decision.ts';
import { openConnection, type OpenConnection } from './connection-context.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import { PlatformError, type CodeToPush, type PushResult } from './connector.ts';
import { recordConnectionError } from './record-connection-error.ts';

const BATCH = 100;
// A code the platform keeps refusing is tried for about a day (backoff up to an hour), then left
// for the merchant: its error stays in the connection's status.
export const MAX_ATTEMPTS = 30;

export interface PushRun {
  created: number;
  failed: number;
  disabled: number;
  /** Due codes remain: run again at once. */
  more: boolean;
  /** When the next pending code falls due, if any. */
  nextAt: Date | null;
}

/**
 * One run of a connection's `connection-push` job: creates the due pending codes in the platform
 * (a batch of up to 100 through the connector, one result per code), then disables there the
 * codes used up or expired in Lojal. A code the platform refuses, or cannot take now, stays
 * pending with its reason and is tried again after a backoff; the customer meanwhile sees it as
 * being prepared, never as a code that fails at the checkout.
 */
export async function pushCodes(
  deps: ConnectionDeps,
  shopId: string,
  connectionId: string,
): Promise<PushRun> {
  const idle: PushRun = { created: 0, failed: 0, disabled: 0, more: false, nextAt: null };
  const open = await openConnection(deps, shopId, connectionId);
  if (!open || !open.row.push_codes || open.row.paused_at || open.row.needs_attention) return idle;
  const { connector, row } = open;
  if (!connector.pushCodes) return idle;
  const now = deps.clock.now();

  const due = await codesToPush(deps, open, now);
  let created = 0;
  let failed = 0;
  let stop: PlatformError | null = null;
  if (due.length > 0) {
    let results: PushResult[];
    try {
      results = await connector.pushCodes(open.ctx, due);
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      results = due.map((c) => ({ couponId: c.couponId, ok: false, error }));
    }
    for (const result of results) {
      if (result.ok) {
        created++;
        await deps.db
          .updateTable('platform_codes')
          .set({ state: 'created', ref: result.ref, last_error: null, updated_at: now })
          .where('shop_id', '=', shopId)
          .where('connection_id', '=', connectionId)
          .where('coupon_id', '=', result.couponId)
          .execute();
      } else {
        failed++;
        if (result.error.kind === 'auth') stop = result.error;
        // Only the platform's verdict on this code counts towards giving up on it; an outage or
        // a rate limit says nothing about the code, however long it lasts.
        const verdict = result.error.kind === 'refused' || result.error.kind === 'bad-response';
        await deps.db
          .updateTable('platform_codes')
          .set((eb) => ({
            attempts: verdict ? eb('attempts', '+', 1) : eb.ref('attempts'),
            // backoff.ts in SQL, by the row's own count: 30 s, 1 min, 2 min … 1 h, or Retry-After
            next_attempt_at: sql<Date>`${now}::timestamptz + make_interval(secs => GREATEST(
              ${(result.error.details.retryAfterMs ?? 0) / 1000},
              LEAST(30 * power(2, ${verdict ? sql`attempts` : sql`LEAST(${row.push_failures}, 7)`}), 3600)))`,
            last_error: result.error.message.slice(0, 1000),
            updated_at: now,
          }))
          .where('shop_id', '=', shopId)
          .where('connection_id', '=', connectionId)
          .where('coupon_id', '=', result.couponId)
          .execute();
      }
    }
    const firstError = results.find((r): r is Extract<PushResult, { ok: false }> => !r.ok);
    if (firstError) {
      await recordConnectionError(deps.db, {
        shopId,
        connectionId,
        at: now,
        direction: 'push',
        kind: firstError.error.kind,
        message:
          failed > 1
            ? `${firstError.error.message} (and ${failed - 1} more codes not created)`
            : firstError.error.message,
      });
    }
  }

  const disabling = stop
    ? { disabled: 0, failed: false }
    : await disableSpentCodes(deps, open, now);
  const disabled = disabling.disabled;
  if (disabling.failed) failed++;
  await deps.db
    .updateTable('connections')
    .set((eb) => ({
      last_push_at: now,
      ...(failed === 0 ? { last_push_ok_at: now, push_failures: 0 } : {}),
      ...(failed > 0 && { push_failures: eb('push_failures', '+', 1) }),
      ...(stop && { needs_attention: stop.message }),
      updated_at: now,
    }))
    .where('shop_id', '=', shopId)
    .where('id', '=', connectionId)
    .execute();

  const next = await deps.db
    .selectFrom('platform_codes')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('shop_id', '=', shopId)
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'pending')
    .where('attempts', '<', MAX_ATTEMPTS)
    .executeTakeFirst();
  const nextAt = next?.at ? new Date(next.at) : null;
  return {
    created,
    failed,
    disabled,
    more: !stop && nextAt !== null && nextAt <= now && created > 0,
    nextAt: stop ? null : nextAt,
  };
}

/** The due pending codes with every term, oldest first; codes already spent never go out. */
async function codesToPush(
  deps: ConnectionDeps,
  open: OpenConnection,
  now: Date,
): Promise<CodeToPush[]> {
  const { shop_id: shopId, id: connectionId } = open.row;
  // A code used up or expired before it reached the platform is not created there.
  await sql`
    UPDATE platform_codes p SET state = 'disabled', updated_at = ${now}
      FROM coupons c
     WHERE p.shop_id = ${shopId} AND p.connection_id = ${connectionId} AND p.state = 'pending'
       AND c.shop_id = p.shop_id AND c.id = p.coupon_id
       AND ((c.expires_at IS NOT NULL AND c.expires_at <= ${now})
            OR (c.usage_limit IS NOT NULL AND c.used_count >= c.usage_limit))`.execute(deps.db);
  const rows = await deps.db
    .selectFrom('platform_codes as p')
    .innerJoin('coupons as c', (j) =>
      j.onRef('c.shop_id', '=', 'p.shop_id').onRef('c.id', '=', 'p.coupon_id'),
    )
    .leftJoin('coupon_campaigns as k', (j) =>
      j.onRef('k.shop_id', '=', 'c.shop_id').onRef('k.id', '=', 'c.campaign_id'),
    )
    .leftJoin('customers as u', (j) =>
      j.onRef('u.shop_id', '=', 'c.shop_id').onRef('u.id', '=', 'c.customer_id'),
    )
    .select([
      'c.id',
      'c.code',
      'c.source',
      'c.discount',
      'c.min_basket',
      'c.starts_at',
      'c.expires_at',
      'c.usage_limit',
      'k.id as campaign_id',
      'k.name as campaign_name',
      'k.uses_per_customer',
      'k.product_ids',
      'k.category_ids',
      'k.exclude_product_ids',
      'k.exclude_category_ids',
      'u.email',
      'u.external_id',
    ])
    .where('p.shop_id', '=', shopId)
    .where('p.connection_id', '=', connectionId)
    .where('p.state', '=', 'pending')
    .where('p.next_attempt_at', '<=', now)
    .where('p.attempts', '<', MAX_ATTEMPTS)
    .orderBy('p.next_attempt_at')
    .orderBy('p.coupon_id')
    .limit(BATCH)
    .execute();
  const currency = open.ctx.shop.currency;
  return rows.map((r) => ({
    couponId: r.id,
    code: r.code,
    discount: r.discount as unknown as DiscountSpec,
    currency,
    minBasket: r.min_basket,
    startsAt: r.starts_at,
    expiresAt: r.expires_at,
    usageLimit: r.usage_limit,
    usageLimitPerCustomer: r.uses_per_customer ?? (r.usage_limit === 1 ? 1 : null),
    customerEmail: r.email,
    customerExternalId: r.external_id,
    productIds: r.product_ids ?? [],
    categoryIds: r.category_ids ?? [],
    excludeProductIds: r.exclude_product_ids ?? [],
    excludeCategoryIds: r.exclude_category_ids ?? [],
    campaign: r.campaign_id ? { id: r.campaign_id, name: r.campaign_name ?? r.campaign_id } : null,
    title: r.campaign_name ? `Lojal: ${r.campaign_name}` : `Lojal: ${r.source} ${r.code}`,
  }));
}

/** Disables in the platform the created codes that Lojal knows are used up or expired. */
async function disableSpentCodes(
  deps: ConnectionDeps,
  open: OpenConnection,
  now: Date,
): Promise<{ disabled: number; failed: boolean }> {
  const { connector } = open;
  if (!connector.disableCode) return { disabled: 0, failed: false };
  const { shop_id: shopId, id: connectionId } = open.row;
  const spent = await deps.db
    .selectFrom('platform_codes as p')
    .innerJoin('coupons as c', (j) =>
      j.onRef('c.shop_id', '=', 'p.shop_id').onRef('c.id', '=', 'p.coupon_id'),
    )
    .select(['p.coupon_id', 'p.ref', 'c.code', 'c.discount', 'c.expires_at', 'c.usage_limit'])
    .where('p.shop_id', '=', shopId)
    .where('p.connection_id', '=', connectionId)
    .where('p.state', '=', 'created')
    // a disable the platform refused waits for its next attempt
    .where('p.next_attempt_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb.and([eb('c.expires_at', 'is not', null), eb('c.expires_at', '<=', now)]),
        eb.and([
          eb('c.usage_limit', 'is not', null),
          eb('c.used_count', '>=', eb.ref('c.usage_limit')),
        ]),
      ]),
    )
    .limit(BATCH)
    .execute();
  let disabled = 0;
  for (const code of spent) {
    try {
      await connector.disableCode(
        open.ctx,
        {
          couponId: code.coupon_id,
          code: code.code,
          discount: code.discount as unknown as DiscountSpec,
          currency: open.ctx.shop.currency,
          minBasket: null,
          startsAt: null,
          expiresAt: code.expires_at,
          usageLimit: code.usage_limit,
          usageLimitPerCustomer: null,
          customerEmail: null,
          customerExternalId: null,
          productIds: [],
          categoryIds: [],
          excludeProductIds: [],
          excludeCategoryIds: [],
          campaign: null,
          title: code.code,
        },
        code.ref ?? '',
      );
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      await recordConnectionError(deps.db, {
        shopId,
        connectionId,
        at: now,
        direction: 'push',
        kind: error.kind,
        message: `disable ${code.code}: ${error.message}`,
      });
      await deps.db
        .updateTable('platform_codes')
        .set({ next_attempt_at: new Date(now.getTime() + 3_600_000), updated_at: now })
        .where('shop_id', '=', shopId)
        .where('connection_id', '=', connectionId)
        .where('coupon_id', '=', code.coupon_id)
        .execute();
      return { disabled, failed: true };
    }
    await deps.db
      .updateTable('platform_codes')
      .set({ state: 'disabled', updated_at: now })
      .where('shop_id', '=', shopId)
      .where('connection_id', '=', connectionId)
      .where('coupon_id', '=', code.coupon_id)
      .execute();
    disabled++;
  }
  return { disabled, failed: false };
}
