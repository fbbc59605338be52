import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { referralCodeKey } from './referral-code.ts';

export interface KeptCode {
  customerId: string; // Lojal id
  code: string;
}

/**
 * Codes that another customer of the shop holds already (by the compared form of the code),
 * so they cannot be given to the customer named: code key → the holder's Lojal id.
 */
export async function referralCodesHeldByOthers(
  tx: Tx,
  shopId: string,
  codes: KeptCode[],
): Promise<Set<string>> {
  const taken = new Set<string>();
  if (codes.length === 0) return taken;
  const rows = await sql<{ code_key: string; customer_id: string }>`
    SELECT code_key, customer_id FROM referral_codes
    WHERE shop_id = ${shopId} AND code_key = ANY(${codes.map((c) => referralCodeKey(c.code))}::text[])`.execute(
    tx,
  );
  const holder = new Map(rows.rows.map((r) => [r.code_key, r.customer_id]));
  for (const c of codes) {
    const owner = holder.get(referralCodeKey(c.code));
    if (owner !== undefined && owner !== c.customerId) taken.add(referralCodeKey(c.code));
  }
  return taken;
}

/**
 * Gives customers the referral codes they had in another programme, exactly as written, so
 * links and printed cards with them keep working at /r/{code}. A code Lojal drew for the
 * customer earlier is replaced (the customer has one code). Returns how many changed.
 * Callers check referralCodesHeldByOthers first: a code held by another customer is refused.
 */
export async function keepReferralCodes(
  tx: Tx,
  shopId: string,
  codes: KeptCode[],
  now: Date,
): Promise<number> {
  if (codes.length === 0) return 0;
  const result = await sql`
    INSERT INTO referral_codes (shop_id, customer_id, code, code_key, created_at)
    SELECT ${shopId}, t.customer_id, t.code, t.code_key, ${now}
    FROM unnest(${codes.map((c) => c.customerId)}::text[], ${codes.map((c) => c.code)}::text[],
                ${codes.map((c) => referralCodeKey(c.code))}::text[]) AS t(customer_id, code, code_key)
    ON CONFLICT (shop_id, customer_id) DO UPDATE SET code = excluded.code, code_key = excluded.code_key
    WHERE referral_codes.code IS DISTINCT FROM excluded.code`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}
