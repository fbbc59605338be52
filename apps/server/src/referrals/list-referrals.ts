import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Database, ReferralStatus } from '../db/schema.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { ensureReferralCodes } from './ensure-referral-codes.ts';

interface ReferralRow {
  id: string;
  campaign_id: string;
  referrer_id: string;
  friend_id: string;
  code: string;
  source: string;
  status: ReferralStatus;
  held_status: ReferralStatus | null;
  reasons: Array<{ reason: string; weight: number }>;
  risk_score: number;
  review_note: string | null;
  order_id: string | null;
  due_at: Date | null;
  clicked_at: Date | null;
  signed_up_at: Date | null;
  purchased_at: Date | null;
  qualified_at: Date | null;
  rewarded_at: Date | null;
  rejected_at: Date | null;
  flagged_at: Date | null;
  approved_at: Date | null;
  clawed_back_at: Date | null;
  created_at: Date;
  thank_you_note: string | null;
  thank_you_at: Date | null;
  purchases: Array<{
    purchase: number;
    order_id: string;
    order_total: number;
    status: 'held' | 'rewarded' | 'cancelled' | 'clawed_back';
    reason: string | null;
    due_at: string;
    rewarded_at: string | null;
    ended_at: string | null;
  }>;
  rewards: Array<{
    stage: string;
    party: string;
    kind: string;
    points: number | null;
    coupon_code: string | null;
    given_at: string;
    revoked_at: string | null;
    purchase: number;
  }>;
}

/** Where a page ends: the last referral's creation time and id (newest first). */
interface Cursor {
  at: Date;
  id: string;
}

export function encodeCursor(row: { created_at: Date; id: string }): string {
  return Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) {
    throw problems.validation([{ path: 'cursor', message: 'not a cursor this API gave' }]);
  }
  return { at: date, id };
}

/** Referrals with the shop's own customer ids and their rewards; one statement. */
export async function selectReferrals(
  db: Kysely<Database>,
  shopId: string,
  filter: {
    id?: string;
    status?: ReferralStatus;
    referrerId?: string;
    limit?: number;
    after?: Cursor | null;
  },
): Promise<ReferralRow[]> {
  const after = filter.after ?? null;
  const { rows } = await sql<ReferralRow>`
    SELECT r.id, r.campaign_id, rc.external_id AS referrer_id, fc.external_id AS friend_id, r.code,
           r.source, r.status, r.held_status, r.reasons, r.risk_score, r.review_note,
           o.external_id AS order_id, r.due_at, r.clicked_at, r.signed_up_at, r.purchased_at,
           r.qualified_at, r.rewarded_at, r.rejected_at, r.flagged_at, r.approved_at,
           r.clawed_back_at, r.created_at, r.thank_you_note, r.thank_you_at,
           COALESCE((SELECT json_agg(json_build_object('purchase', p.purchase,
                       'order_id', po.external_id, 'order_total', p.order_total, 'status', p.status,
                       'reason', p.reason, 'due_at', p.due_at, 'rewarded_at', p.rewarded_at,
                       'ended_at', p.ended_at) ORDER BY p.purchase)
                     FROM referral_purchases p
                     JOIN orders po ON po.shop_id = p.shop_id AND po.id = p.order_id
                     WHERE p.shop_id = r.shop_id AND p.referral_id = r.id), '[]') AS purchases,
           COALESCE((SELECT json_agg(json_build_object('stage', w.stage, 'party', w.party,
                       'kind', w.kind, 'points', w.points, 'coupon_code', c.code,
                       'given_at', w.given_at, 'revoked_at', w.revoked_at, 'purchase', w.purchase)
                       ORDER BY w.given_at, w.stage, w.purchase, w.party)
                     FROM referral_rewards w
                     LEFT JOIN coupons c ON c.shop_id = w.shop_id AND c.id = w.coupon_id
                     WHERE w.shop_id = r.shop_id AND w.referral_id = r.id), '[]') AS rewards
    FROM referrals r
    JOIN customers rc ON rc.shop_id = r.shop_id AND rc.id = r.referrer_customer_id
    JOIN customers fc ON fc.shop_id = r.shop_id AND fc.id = r.friend_customer_id
    LEFT JOIN orders o ON o.shop_id = r.shop_id AND o.id = r.order_id
    WHERE r.shop_id = ${shopId}
      AND (${filter.id ?? null}::text IS NULL OR r.id = ${filter.id ?? null})
      AND (${filter.status ?? null}::text IS NULL OR r.status = ${filter.status ?? null})
      AND (${filter.referrerId ?? null}::text IS NULL OR r.referrer_customer_id = ${filter.referrerId ?? null})
      AND (${after?.at ?? null}::timestamptz IS NULL
           OR (r.created_at, r.id) < (${after?.at ?? null}::timestamptz, ${after?.id ?? null}::text))
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT ${filter.limit ?? 500}`.execute(db);
  return rows;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function referralView(r: ReferralRow) {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    referrerId: r.referrer_id,
    friendCustomerId: r.friend_id,
    code: r.code,
    source: r.source,
    status: r.status,
    waitingAt: r.held_status,
    reasons: r.reasons,
    riskScore: r.risk_score,
    reviewNote: r.review_note,
    orderId: r.order_id,
    rewardDueAt: iso(r.due_at),
    steps: {
      clickedAt: iso(r.clicked_at),
      signedUpAt: iso(r.signed_up_at),
      purchasedAt: iso(r.purchased_at),
      qualifiedAt: iso(r.qualified_at),
      rewardedAt: iso(r.rewarded_at),
      flaggedAt: iso(r.flagged_at),
      approvedAt: iso(r.approved_at),
      rejectedAt: iso(r.rejected_at),
      clawedBackAt: iso(r.clawed_back_at),
    },
    rewards: r.rewards.map((w) => ({
      stage: w.stage,
      party: w.party,
      kind: w.kind,
      points: w.points === null ? null : Number(w.points),
      couponCode: w.coupon_code,
      givenAt: new Date(w.given_at).toISOString(),
      revokedAt: w.revoked_at ? new Date(w.revoked_at).toISOString() : null,
      purchase: w.purchase,
    })),
    purchases: r.purchases.map((p) => ({
      purchase: p.purchase,
      orderId: p.order_id,
      orderTotal: Number(p.order_total),
      status: p.status,
      reason: p.reason,
      rewardDueAt: new Date(p.due_at).toISOString(),
      rewardedAt: p.rewarded_at ? new Date(p.rewarded_at).toISOString() : null,
      endedAt: p.ended_at ? new Date(p.ended_at).toISOString() : null,
    })),
    thankYou: r.thank_you_note
      ? { note: r.thank_you_note, at: r.thank_you_at!.toISOString() }
      : null,
  };
}

export interface Page {
  limit?: number;
  cursor?: string;
}

/** One page of referrals, newest first, and the cursor of the next (null on the last). */
async function pageOfReferrals(
  db: Kysely<Database>,
  shopId: string,
  filter: { status?: ReferralStatus; referrerId?: string },
  page: Page,
) {
  const limit = page.limit ?? 500;
  const rows = await selectReferrals(db, shopId, {
    ...filter,
    limit: limit + 1,
    after: decodeCursor(page.cursor),
  });
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  return {
    data: shown.map(referralView),
    nextCursor: more ? encodeCursor(shown.at(-1)!) : null,
  };
}

/** The review queue and other lists by status, newest first. */
export async function listReferrals(
  db: Db,
  shop: ShopRow,
  query: { status?: ReferralStatus } & Page,
) {
  return pageOfReferrals(db, shop.id, { status: query.status }, query);
}

/** The referrals a customer made, with their code (created now if the customer has none). */
export async function listCustomerReferrals(
  db: Db,
  shop: ShopRow,
  externalId: string,
  page: Page,
  now: Date,
) {
  const customerId = await findCustomerId(db, shop.id, externalId);
  const codes = await ensureReferralCodes(db, shop.id, [customerId], now);
  const result = await pageOfReferrals(db, shop.id, { referrerId: customerId }, page);
  return { customerId: externalId, referralCode: codes.get(customerId)!, ...result };
}
