import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import { normalizeCode } from './coupon-code.ts';
import type { CouponFacts, DiscountSpec } from './coupon-decision.ts';

export interface CouponRow extends CouponFacts {
  id: string;
  /** Lojal's id of the customer asked about (options.customerExternalId), when known. */
  askedCustomerId?: string | null;
  code: string;
  codeKey: string;
  redemptionId: string | null;
  campaignId: string | null;
}

interface Row {
  id: string;
  code: string;
  code_key: string;
  redemption_id: string | null;
  campaign_id: string | null;
  discount: DiscountSpec;
  customer_id: string | null;
  min_basket: number | null;
  starts_at: Date | null;
  expires_at: Date | null;
  usage_limit: number | null;
  used_count: number;
  c_id: string | null;
  uses_per_customer: number | null;
  budget: number | null;
  budget_used: number | null;
  product_ids: string[] | null;
  category_ids: string[] | null;
  exclude_product_ids: string[] | null;
  exclude_category_ids: string[] | null;
  first_order_only: boolean | null;
  segment_id: string | null;
  min_tier: string | null;
  stackable: boolean | null;
  archived_at: Date | null;
  asked_customer_id: string | null;
}

/** Coupons by code (compared without case, spaces or dashes), with their campaign's terms. */
export async function findCoupons(
  db: Db | Tx,
  shopId: string,
  codes: string[],
  options: { lock?: boolean; customerExternalId?: string } = {},
): Promise<Map<string, CouponRow>> {
  const keys = [...new Set(codes.map(normalizeCode))];
  const out = new Map<string, CouponRow>();
  if (keys.length === 0) return out;
  const rows = await sql<Row>`
    SELECT k.id, k.code, k.code_key, k.redemption_id, k.campaign_id, k.discount, k.customer_id,
           k.min_basket, k.starts_at, k.expires_at, k.usage_limit, k.used_count,
           c.id AS c_id, c.uses_per_customer, c.budget, c.budget_used, c.product_ids, c.category_ids,
           c.exclude_product_ids, c.exclude_category_ids, c.first_order_only, c.segment_id,
           c.min_tier, c.stackable, c.archived_at,
           ${
             options.customerExternalId === undefined
               ? sql`NULL`
               : sql`(SELECT id FROM customers WHERE shop_id = ${shopId} AND external_id = ${options.customerExternalId})`
           } AS asked_customer_id
    FROM coupons k
    LEFT JOIN coupon_campaigns c ON c.shop_id = k.shop_id AND c.id = k.campaign_id
    WHERE k.shop_id = ${shopId} AND k.code_key = ANY(${keys}::text[])
    ${options.lock ? sql`FOR UPDATE OF k` : sql``}`.execute(db);
  for (const r of rows.rows) {
    out.set(r.code_key, {
      id: r.id,
      code: r.code,
      codeKey: r.code_key,
      redemptionId: r.redemption_id,
      campaignId: r.campaign_id,
      askedCustomerId: r.asked_customer_id,
      discount: r.discount,
      customerId: r.customer_id,
      minBasket: r.min_basket,
      startsAt: r.starts_at,
      expiresAt: r.expires_at,
      usageLimit: r.usage_limit,
      usedCount: r.used_count,
      campaign: r.c_id
        ? {
            usesPerCustomer: r.uses_per_customer,
            budget: r.budget,
            budgetUsed: r.budget_used ?? 0,
            productIds: r.product_ids ?? [],
            categoryIds: r.category_ids ?? [],
            excludeProductIds: r.exclude_product_ids ?? [],
            excludeCategoryIds: r.exclude_category_ids ?? [],
            firstOrderOnly: r.first_order_only ?? false,
            segmentId: r.segment_id,
            minTier: r.min_tier,
            stackable: r.stackable ?? false,
            archived: r.archived_at !== null,
          }
        : null,
    });
  }
  return out;
}

/** One code, and in the same statement the Lojal id of the customer asked about. */
export async function findCoupon(
  db: Db | Tx,
  shopId: string,
  code: string,
  customerExternalId?: string,
): Promise<CouponRow | null> {
  const found = await findCoupons(db, shopId, [code], { customerExternalId });
  return found.get(normalizeCode(code)) ?? null;
}
