import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import { effectiveTierId } from './evaluate-tier.ts';
import { parseTierProgramme } from './find-tier-programme.ts';
import { rankOf } from './tier-schema.ts';

/**
 * Whether a customer's tier at `at` is at least `requiredTierId` (a reward's or a campaign's
 * minimum tier). A tier the programme does not have (or no programme) is never met.
 */
export async function meetsTier(
  db: Db | Tx,
  shopId: string,
  customerId: string,
  requiredTierId: string,
  at: Date,
): Promise<{ met: boolean; held: string | null }> {
  const row = await db
    .selectFrom('tier_programmes as tp')
    .leftJoin('customer_tiers as ct', (join) =>
      join.onRef('ct.shop_id', '=', 'tp.shop_id').on('ct.customer_id', '=', customerId),
    )
    .select(['tp.programme', 'ct.tier_id', 'ct.review_at', 'ct.manual_tier_id', 'ct.manual_until'])
    .where('tp.shop_id', '=', shopId)
    .executeTakeFirst();
  if (!row) return { met: false, held: null };
  const programme = parseTierProgramme(row.programme);
  const held = effectiveTierId(
    {
      tierId: row.tier_id,
      reachedAt: null,
      reviewAt: row.review_at,
      graceUntil: null,
      atRiskNotifiedAt: null,
      manualTierId: row.manual_tier_id,
      manualUntil: row.manual_until,
    },
    at,
  );
  const required = rankOf(programme, requiredTierId);
  return { met: required > 0 && rankOf(programme, held) >= required, held };
}
