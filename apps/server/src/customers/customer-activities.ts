import type { Db } from '../db/connect.ts';

/** What a customer did besides ordering (reviews, sign-ups, custom actions), newest first. */
export async function customerActivities(
  db: Db,
  shopId: string,
  customerId: string,
  limit: number,
) {
  const rows = await db
    .selectFrom('customer_activities')
    .select(['type', 'data', 'occurred_at'])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customerId)
    .orderBy('occurred_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((a) => ({ type: a.type, data: a.data, occurredAt: a.occurred_at.toISOString() }));
}
