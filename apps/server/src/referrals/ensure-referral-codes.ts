import { hashToken } from '../shared/secrets.ts';
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

/**
 * Erasure (RODO art. 17): the customers' referral codes, often built from the first name, are
 * replaced by new random ones (LOJAL-…), on their code and on the referrals made with it, so the
 * old code leads nowhere and names nobody. Returns each replaced code with its new one.
 */
export async function replaceReferralCodes(
  tx: Kysely<Database>,
  shopId: string,
  customerIds: string[],
): Promise<Array<{ customerId: string; old: string; code: string }>> {
  if (customerIds.length === 0) return [];
  const current = await tx
    .selectFrom('referral_codes')
    .select(['customer_id', 'code', 'created_at'])
    .where('shop_id', '=', shopId)
    .where('customer_id', 'in', customerIds)
    .where('code', 'not like', 'LOJAL-%')
    .execute();
  const out: Array<{ customerId: string; old: string; code: string }> = [];
  for (const row of current) {
    for (let attempt = 0; ; attempt++) {
      const code = newReferralCode(null, 2 + attempt * 2);
      const done = await sql`
        UPDATE referral_codes SET code = ${code}, code_key = ${referralCodeKey(code)}
        WHERE shop_id = ${shopId} AND customer_id = ${row.customer_id}
          AND NOT EXISTS (SELECT 1 FROM referral_codes WHERE shop_id = ${shopId}
                          AND code_key = ${referralCodeKey(code)})`.execute(tx);
      if (Number(done.numAffectedRows) === 1) {
        // The old code keeps its claim on the shop-less link, as a hash of its key only.
        await sql`
          INSERT INTO retired_referral_codes (shop_id, key_hash, created_at)
          VALUES (${shopId}, ${hashToken(referralCodeKey(row.code))}, ${row.created_at})
          ON CONFLICT DO NOTHING`.execute(tx);
        out.push({ customerId: row.customer_id, old: row.code, code });
        break;
      }
      if (attempt >= 5) throw new Error('could not draw a unique referral code');
    }
    await tx
      .updateTable('referrals')
      .set({ code: out.at(-1)!.code })
      .where('shop_id', '=', shopId)
      .where('referrer_customer_id', '=', row.customer_id)
      .execute();
  }
  return out;
}
