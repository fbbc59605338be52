import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * The shop's gift cards, newest first, a page at a time (keyset on the id, which sorts by
 * creation time). Never the code: only its stored hint, the last four characters.
 */
export async function listGiftCards(
  db: Db,
  shopId: string,
  input: { limit: number; before?: string },
  now: Date,
) {
  const { rows } = await sql<{
    id: string;
    code_hint: string;
    currency: string;
    initial_amount: string | number;
    balance: string | number;
    expires_at: Date | null;
    disabled_at: Date | null;
    customer_external_id: string | null;
    created_at: Date;
  }>`
    SELECT g.id, g.code_hint, g.currency, g.initial_amount, g.expires_at, g.disabled_at,
           g.created_at, c.external_id AS customer_external_id,
           (SELECT COALESCE(sum(l.remaining) FILTER (WHERE l.expires_at IS NULL OR l.expires_at > ${now}), 0)
              FROM gift_card_lots l
             WHERE l.shop_id = g.shop_id AND l.gift_card_id = g.id AND l.remaining > 0) AS balance
    FROM gift_cards g LEFT JOIN customers c ON c.shop_id = g.shop_id AND c.id = g.customer_id
    WHERE g.shop_id = ${shopId} ${input.before ? sql`AND g.id < ${input.before}` : sql``}
    ORDER BY g.id DESC
    LIMIT ${input.limit + 1}`.execute(db);
  const page = rows.slice(0, input.limit);
  return {
    data: page.map((card) => {
      const expired = card.expires_at !== null && card.expires_at <= now;
      return {
        id: card.id,
        maskedCode: card.code_hint,
        currency: card.currency,
        balance: { amount: Number(card.balance), currency: card.currency },
        initialAmount: { amount: Number(card.initial_amount), currency: card.currency },
        expiresAt: card.expires_at?.toISOString() ?? null,
        customerId: card.customer_external_id,
        status: card.disabled_at
          ? ('disabled' as const)
          : expired
            ? ('expired' as const)
            : ('active' as const),
        createdAt: card.created_at.toISOString(),
      };
    }),
    nextBefore: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
