import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { newId } from '../shared/ids.ts';
import { credit } from '../points/account.ts';
import { GIFT_CARDS, openAccounts, saveAccounts } from '../points/ledger.ts';
import { giftCardCodeHash, giftCardCodeHint } from './gift-card-code.ts';

export interface ImportedGiftCard {
  code: string;
  /** What is left on the card, in minor units: the card's first lot. */
  balance: number;
  currency: string;
  expiresAt: string | null;
  customerId: string | null; // Lojal id
}

/**
 * Gift cards brought from another system with their remaining balance, as issueGiftCard
 * issues one (hashed code, one lot through the gift-card ledger), many in a few statements. A
 * card whose code the shop has already is left as it is, so importing it again adds nothing.
 */
export async function addImportedGiftCards(
  tx: Tx,
  shopId: string,
  cards: ImportedGiftCard[],
  options: { now: Date; actor: string },
): Promise<{ added: number; balance: number }> {
  if (cards.length === 0) return { added: 0, balance: 0 };
  const ids = cards.map(() => newId('gft'));
  const inserted = await sql<{ id: string }>`
    INSERT INTO gift_cards (shop_id, id, code_hash, code_hint, currency, initial_amount, expires_at,
                            customer_id, created_at)
    SELECT ${shopId}, t.id, decode(t.hash, 'hex'), t.hint, t.currency, t.amount, t.expires_at,
           t.customer_id, ${options.now}
    FROM unnest(${ids}::text[], ${cards.map((c) => giftCardCodeHash(shopId, c.code).toString('hex'))}::text[],
                ${cards.map((c) => giftCardCodeHint(c.code))}::text[], ${cards.map((c) => c.currency)}::text[],
                ${cards.map((c) => c.balance)}::bigint[], ${cards.map((c) => c.expiresAt)}::timestamptz[],
                ${cards.map((c) => c.customerId)}::text[])
      AS t(id, hash, hint, currency, amount, expires_at, customer_id)
    ON CONFLICT (shop_id, code_hash) DO NOTHING
    RETURNING id`.execute(tx);
  const added = new Set(inserted.rows.map((r) => r.id));
  const fresh = cards.map((card, i) => ({ card, id: ids[i]! })).filter((c) => added.has(c.id));
  const accounts = await openAccounts(
    tx,
    shopId,
    fresh.map((c) => c.id),
    { book: GIFT_CARDS },
  );
  for (const { card, id } of fresh) {
    credit(accounts.get(id)!, {
      points: card.balance,
      kind: 'earn',
      cause: 'adjustment',
      reason: 'imported',
      actor: options.actor,
      key: `issue:${id}`,
      at: options.now,
      availableAt: options.now,
      expiresAt: card.expiresAt ? new Date(card.expiresAt) : null,
    });
  }
  await saveAccounts(tx, accounts.values(), options.now, GIFT_CARDS);
  return { added: fresh.length, balance: fresh.reduce((s, c) => s + c.card.balance, 0) };
}
