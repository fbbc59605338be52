import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { newId } from '../shared/ids.ts';
import type { DiscountSpec } from './coupon-decision.ts';
import { normalizeCode } from './coupon-code.ts';

export interface ImportedCoupon {
  code: string;
  discount: DiscountSpec;
  minBasket: number | null;
  startsAt: string | null;
  expiresAt: string | null;
  usageLimit: number;
  customerId: string | null; // Lojal id
}

/**
 * Unused codes brought from another programme, kept exactly as written so customers who hold
 * them can still use them (source "import"). Returns, by compared code, what happened to each:
 * added, already imported before (left as it is), or taken by a code Lojal made itself.
 */
export async function addImportedCoupons(
  tx: Tx,
  shopId: string,
  coupons: ImportedCoupon[],
  now: Date,
): Promise<Map<string, 'added' | 'unchanged' | 'taken'>> {
  const out = new Map<string, 'added' | 'unchanged' | 'taken'>();
  if (coupons.length === 0) return out;
  const inserted = await sql<{ code_key: string }>`
    INSERT INTO coupons (shop_id, id, code, source, customer_id, discount, min_basket, starts_at,
                         expires_at, usage_limit, created_at)
    SELECT ${shopId}, t.id, t.code, 'import', t.customer_id, t.discount::jsonb, t.min_basket,
           t.starts_at, t.expires_at, t.usage_limit, ${now}
    FROM unnest(${coupons.map(() => newId('cpn'))}::text[], ${coupons.map((c) => c.code)}::text[],
                ${coupons.map((c) => c.customerId)}::text[],
                ${coupons.map((c) => JSON.stringify(c.discount))}::text[],
                ${coupons.map((c) => c.minBasket)}::bigint[],
                ${coupons.map((c) => c.startsAt)}::timestamptz[],
                ${coupons.map((c) => c.expiresAt)}::timestamptz[],
                ${coupons.map((c) => c.usageLimit)}::int[])
      AS t(id, code, customer_id, discount, min_basket, starts_at, expires_at, usage_limit)
    ON CONFLICT (shop_id, code_key) DO NOTHING
    RETURNING code_key`.execute(tx);
  for (const r of inserted.rows) out.set(r.code_key, 'added');
  const rest = coupons.map((c) => normalizeCode(c.code)).filter((k) => !out.has(k));
  if (rest.length > 0) {
    const existing = await sql<{ code_key: string; source: string }>`
      SELECT code_key, source FROM coupons
      WHERE shop_id = ${shopId} AND code_key = ANY(${rest}::text[])`.execute(tx);
    for (const r of existing.rows)
      out.set(r.code_key, r.source === 'import' ? 'unchanged' : 'taken');
  }
  return out;
}
