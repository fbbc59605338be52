import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/** A customer's gift cards with what is left on each, newest first; codes masked ("…7KQ2"). */
export async function customerGiftCards(db: Db, shopId: string, customerId: string, limit: number) {
  const { rows } = await sql<{
    id: string;
    code_hint: string;
    currency: string;
    balance: number;
    expires_at: Date | null;
  }>`
    SELECT g.id, g.code_hint, g.currency, COALESCE(a.balance, 0)::bigint AS balance, g.expires_at
    FROM gift_cards g
    LEFT JOIN gift_card_accounts a ON a.shop_id = g.shop_id AND a.gift_card_id = g.id
    WHERE g.shop_id = ${shopId} AND g.customer_id = ${customerId}
    ORDER BY g.id DESC LIMIT ${limit}`.execute(db);
  return rows.map((g) => ({
    id: g.id,
    maskedCode: g.code_hint,
    balance: { amount: g.balance, currency: g.currency },
    expiresAt: g.expires_at?.toISOString() ?? null,
  }));
}
