import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

export interface SegmentUsage {
  flows: Array<{ id: string; name: string; status: string }>;
  couponCampaigns: Array<{ id: string; name: string }>;
  popups: Array<{ id: string; name: string; status: string }>;
}

/**
 * What names a segment, so a person changing or deleting it knows what else changes: flows
 * whose current version has a condition step on it, coupon campaigns limited to it, and pop-ups
 * shown to it. Archived ones are left out: nothing runs them any more.
 */
export async function segmentUsage(
  db: Db,
  shopId: string,
  segmentId: string,
): Promise<SegmentUsage> {
  const [flows, couponCampaigns, popups] = await Promise.all([
    db
      .selectFrom('flows')
      .select(['id', 'name', 'status'])
      .where('shop_id', '=', shopId)
      .where('status', '<>', 'archived')
      .where(
        sql<boolean>`jsonb_path_exists(definition, '$.steps[*] ? (@.type == "condition" && @.segmentId == $id)', jsonb_build_object('id', ${segmentId}::text))`,
      )
      .orderBy('name')
      .execute(),
    db
      .selectFrom('coupon_campaigns')
      .select(['id', 'name'])
      .where('shop_id', '=', shopId)
      .where('segment_id', '=', segmentId)
      .where('archived_at', 'is', null)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('popups')
      .select(['id', 'name', 'status'])
      .where('shop_id', '=', shopId)
      .where('status', '<>', 'archived')
      .where(
        sql<boolean>`coalesce(definition->'audience'->'segmentIds', '[]'::jsonb) ? ${segmentId}`,
      )
      .orderBy('name')
      .execute(),
  ]);
  return { flows, couponCampaigns, popups };
}
