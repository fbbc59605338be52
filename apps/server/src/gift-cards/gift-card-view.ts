import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import { problems } from '../shared/errors.ts';
import { giftCardCodeHash } from './gift-card-code.ts';

export interface GiftCardRow {
  id: string;
  code_hint: string;
  currency: string;
  initial_amount: number;
  expires_at: Date | null;
  disabled_at: Date | null;
  customer_external_id: string | null;
}

/**
 * A gift card by its code (compared without case, spaces or dashes, through its hash); 404 when
 * unknown.
 */
export async function findGiftCard(
  db: Db | Tx,
  shopId: string,
  code: string,
): Promise<GiftCardRow> {
  const { rows } = await sql<GiftCardRow>`
    SELECT g.id, g.code_hint, g.currency, g.initial_amount, g.expires_at, g.disabled_at,
           c.external_id AS customer_external_id
    FROM gift_cards g LEFT JOIN customers c ON c.shop_id = g.shop_id AND c.id = g.customer_id
    WHERE g.shop_id = ${shopId} AND g.code_hash = ${giftCardCodeHash(shopId, code)}`.execute(db);
  if (!rows[0]) throw problems.notFound('Gift card');
  return rows[0];
}

/**
 * The card and its spendable balance now (lots not expired), in minor units. The code shows
 * only as its last four characters: the full code is in the answer to the issue, never again.
 */
export async function giftCardView(db: Db | Tx, shopId: string, code: string, now: Date) {
  const card = await findGiftCard(db, shopId, code);
  const { rows } = await sql<{ balance: number }>`
    SELECT COALESCE(sum(remaining) FILTER (WHERE expires_at IS NULL OR expires_at > ${now}), 0)::bigint AS balance
    FROM gift_card_lots WHERE shop_id = ${shopId} AND gift_card_id = ${card.id} AND remaining > 0`.execute(
    db,
  );
  const expired = card.expires_at !== null && card.expires_at <= now;
  return {
    id: card.id,
    maskedCode: card.code_hint,
    currency: card.currency,
    balance: { amount: rows[0]!.balance, currency: card.currency },
    initialAmount: { amount: card.initial_amount, currency: card.currency },
    expiresAt: card.expires_at?.toISOString() ?? null,
    customerId: card.customer_external_id,
    status: card.disabled_at
      ? ('disabled' as const)
      : expired
        ? ('expired' as const)
        : ('active' as const),
  };
}

/** A card's movements, newest first: issued, spent, refunded, expired. */
export async function giftCardTransactions(db: Db, shopId: string, code: string) {
  const card = await findGiftCard(db, shopId, code);
  const rows = await db
    .selectFrom('gift_card_entries')
    .select([
      'id',
      'points',
      'kind',
      'balance_after',
      'order_id',
      'reverses_entry_id',
      'reason',
      'actor',
      'effective_at',
    ])
    .where('shop_id', '=', shopId)
    .where('gift_card_id', '=', card.id)
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  const type = {
    earn: 'issued',
    redeem: 'spent',
    reverse: 'refunded',
    expire: 'expired',
    adjust: 'adjusted',
  };
  return rows.map((r) => ({
    id: r.id,
    type: r.reason === 'top_up' ? 'topped_up' : r.reason === 'voided' ? 'voided' : type[r.kind],
    amount: { amount: r.points, currency: card.currency },
    balanceAfter: { amount: r.balance_after, currency: card.currency },
    orderId: r.order_id,
    refundOf: r.reverses_entry_id,
    actor: r.actor,
    createdAt: r.effective_at.toISOString(),
  }));
}
