import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { campaignView, type CampaignInput } from './campaign-schema.ts';
import { findSegmentRules } from '../segments/manage-segments.ts';

/**
 * A campaign holds the terms its codes share. With `code` it gets that one shared code at
 * once; otherwise codes are generated in bulk (generate-codes.ts).
 */
export async function createCampaign(db: Db, clock: Clock, shop: ShopRow, input: CampaignInput) {
  if (input.discount.kind === 'fixed' && input.discount.currency !== shop.currency) {
    throw problems.validation([
      { path: 'discount.currency', message: `must be the shop currency ${shop.currency}` },
    ]);
  }
  if (input.segmentId) await requireSegment(db, shop, input.segmentId);
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const campaign = await tx
      .insertInto('coupon_campaigns')
      .values({
        shop_id: shop.id,
        id: newId('cmp'),
        name: input.name,
        discount: JSON.stringify(input.discount),
        min_basket: input.minBasket ?? null,
        starts_at: input.startsAt ?? null,
        ends_at: input.endsAt ?? null,
        uses_per_code: input.usesPerCode ?? null,
        uses_per_customer: input.usesPerCustomer ?? null,
        budget: input.budget ?? null,
        product_ids: input.productIds,
        category_ids: input.categoryIds,
        exclude_product_ids: input.excludeProductIds,
        exclude_category_ids: input.excludeCategoryIds,
        first_order_only: input.firstOrderOnly,
        segment_id: input.segmentId ?? null,
        min_tier: input.minTier ?? null,
        stackable: input.stackable,
        return_use_on_cancel: input.returnUseOnCancel,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.code) {
      const inserted = await sql`
        INSERT INTO coupons (shop_id, id, code, source, campaign_id, discount, min_basket,
                             starts_at, expires_at, usage_limit, created_at)
        VALUES (${shop.id}, ${newId('cpn')}, ${input.code.toUpperCase()}, 'campaign', ${campaign.id},
                ${JSON.stringify(input.discount)}, ${campaign.min_basket}, ${campaign.starts_at},
                ${campaign.ends_at}, ${campaign.uses_per_code}, ${now})
        ON CONFLICT (shop_id, code_key) DO NOTHING`.execute(tx);
      if (Number(inserted.numAffectedRows ?? 0) === 0) {
        throw problems.conflict(`The code ${input.code} is already in use in this shop.`);
      }
    }
    return campaignView(campaign, input.code ? 1 : 0);
  });
}

async function requireSegment(db: Db, shop: ShopRow, segmentId: string): Promise<void> {
  try {
    await findSegmentRules(db, shop, segmentId);
  } catch {
    throw problems.validation([{ path: 'segmentId', message: 'no such segment' }]);
  }
}

export async function findCampaign(db: Db, shopId: string, campaignId: string) {
  const row = await db
    .selectFrom('coupon_campaigns')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Coupon campaign ${campaignId}`);
  return row;
}

export async function getCampaign(db: Db, shop: ShopRow, campaignId: string) {
  const row = await findCampaign(db, shop.id, campaignId);
  const { n } = await db
    .selectFrom('coupons')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('shop_id', '=', shop.id)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return campaignView(row, Number(n));
}

export async function listCampaigns(db: Db, shop: ShopRow) {
  const rows = await sql<Parameters<typeof campaignView>[0] & { codes: number }>`
    SELECT c.*, (SELECT count(*) FROM coupons k WHERE k.shop_id = c.shop_id AND k.campaign_id = c.id)::int AS codes
    FROM coupon_campaigns c WHERE c.shop_id = ${shop.id} AND c.archived_at IS NULL
    ORDER BY c.id DESC`.execute(db);
  return rows.rows.map((r) => campaignView(r, r.codes));
}

/** Archived campaigns stop validating; codes and uses stay for the record. */
export async function archiveCampaign(db: Db, clock: Clock, shop: ShopRow, campaignId: string) {
  const row = await db
    .updateTable('coupon_campaigns')
    .set({ archived_at: clock.now() })
    .where('shop_id', '=', shop.id)
    .where('id', '=', campaignId)
    .where('archived_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Coupon campaign ${campaignId}`);
}
