import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newReferralCode, referralCodeKey } from './referral-code.ts';

/**
 * Gives every listed customer a referral code if they have none, in bulk; codes that collide
 * with an existing one are drawn again. Returns each customer's code.
 */
export async function ensureReferralCodes(
  db: Kysely<Database>,
  shopId: string,
  customerIds: string[],
  now: Date,
): Promise<Map<string, string>> {
  const ids = [...new Set(customerIds)];
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  for (let attempt = 0; attempt < 5; attempt++) {
    const missing = await db
      .selectFrom('customers as c')
      .leftJoin('referral_codes as r', (j) =>
        j.onRef('r.shop_id', '=', 'c.shop_id').onRef('r.customer_id', '=', 'c.id'),
      )
      .select(['c.id', 'c.first_name', 'r.code'])
      .where('c.shop_id', '=', shopId)
      .where('c.id', 'in', ids)
      .execute();
    const wanted = missing.filter((m) => m.code === null);
    for (const m of missing) if (m.code) out.set(m.id, m.code);
    if (wanted.length === 0) return out;
    const codes = wanted.map((m) => newReferralCode(m.first_name, attempt * 2));
    await sql`
      INSERT INTO referral_codes (shop_id, customer_id, code, code_key, created_at)
      SELECT ${shopId}, t.id, t.code, t.key, ${now}
      FROM unnest(${wanted.map((m) => m.id)}::text[], ${codes}::text[], ${codes.map(referralCodeKey)}::text[])
        AS t(id, code, key)
      ON CONFLICT DO NOTHING`.execute(db);
  }
  throw new Error('could not draw unique referral codes');
}

/** The referrer (customer id) of a referral code, or null. */
export async function findReferralCode(
  db: Kysely<Database>,
  shopId: string,
  code: string,
): Promise<{ customerId: string; code: string } | null> {
  const row = await db
    .selectFrom('referral_codes')
    .select(['customer_id', 'code'])
    .where('shop_id', '=', shopId)
    .where('code_key', '=', referralCodeKey(code))
    .executeTakeFirst();
  return row ? { customerId: row.customer_id, code: row.code } : null;
}
