import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { newCouponCode } from './coupon-code.ts';
import type { CodePattern } from './campaign-schema.ts';
import { findCampaign } from './manage-campaigns.ts';
import { toCsv } from '../shared/to-csv.ts';

const BATCH = 5000;
export const MAX_CODES_PER_CALL = 1_000_000;

/**
 * Adds `count` unique codes to a campaign: drawn with a CSPRNG from the pattern, written 5,000
 * to a statement; a code that happens to exist already in the shop is skipped and drawn again,
 * so exactly `count` new codes are added. `onProgress` hears how many are done.
 */
export async function generateCodes(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  campaignId: string,
  input: { count: number; pattern: CodePattern },
  onProgress?: (done: number, total: number) => void,
): Promise<{ generated: number }> {
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_CODES_PER_CALL) {
    throw problems.validation([{ path: 'count', message: `must be 1 to ${MAX_CODES_PER_CALL}` }]);
  }
  const campaign = await findCampaign(db, shop.id, campaignId);
  if (campaign.archived_at) throw problems.conflict('The campaign is archived.');
  const usageLimit = campaign.uses_per_code ?? 1;
  const createdAt = clock.now();
  let done = 0;
  for (let stalls = 0; done < input.count;) {
    const n = Math.min(BATCH, input.count - done);
    const codes = Array.from({ length: n }, () =>
      newCouponCode(input.pattern.prefix, input.pattern.length),
    );
    const ids = codes.map(() => newId('cpn'));
    const result = await sql`
      INSERT INTO coupons (shop_id, id, code, source, campaign_id, discount, min_basket, starts_at,
                           expires_at, usage_limit, created_at)
      SELECT ${shop.id}, t.id, t.code, 'campaign', ${campaign.id}, ${JSON.stringify(campaign.discount)}::jsonb,
             ${campaign.min_basket}::bigint, ${campaign.starts_at}::timestamptz, ${campaign.ends_at}::timestamptz,
             ${usageLimit}::int, ${createdAt}::timestamptz
      FROM unnest(${ids}::text[], ${codes}::text[]) AS t(id, code)
      ON CONFLICT (shop_id, code_key) DO NOTHING`.execute(db);
    const added = Number(result.numAffectedRows ?? 0);
    done += added;
    stalls = added === 0 ? stalls + 1 : 0;
    if (stalls > 3) throw problems.conflict('The pattern has no room left for new codes.');
    onProgress?.(done, input.count);
  }
  // Tens of thousands of new rows at once: let the planner know before checkouts look them up.
  if (done >= 10_000) await sql`ANALYZE coupons`.execute(db);
  return { generated: done };
}

/** A campaign's codes as CSV (code, uses, limit, created), for printing or a mailing tool. */
export async function exportCodesCsv(db: Db, shop: ShopRow, campaignId: string): Promise<string> {
  await findCampaign(db, shop.id, campaignId);
  const rows = await db
    .selectFrom('coupons')
    .select(['code', 'used_count', 'usage_limit', 'created_at'])
    .where('shop_id', '=', shop.id)
    .where('campaign_id', '=', campaignId)
    .orderBy('id')
    .execute();
  return toCsv(
    ['code', 'used', 'usage_limit', 'created_at'],
    rows.map((r) => [r.code, r.used_count, r.usage_limit, r.created_at.toISOString()]),
  );
}
