import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * Erasure (RODO art. 17) for gift cards: the words of manual adjustments on the person's cards,
 * and, on the cards they bought, the buyer's e-mail and the recipient's name, e-mail and message.
 * Cards, balances and entries stay, so the liability is unchanged.
 */
export async function forgetGiftCardTexts(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<void> {
  await sql`
    UPDATE gift_card_entries SET reason = NULL
    WHERE shop_id = ${shopId} AND reason IS NOT NULL
      AND gift_card_id IN (SELECT id FROM gift_cards WHERE shop_id = ${shopId}
                           AND customer_id = ANY(${customerIds}::text[]))`.execute(tx);
  await sql`
    UPDATE gift_card_sales
    SET buyer_email = NULL, recipient_name = NULL, recipient_email = NULL, message = NULL
    WHERE shop_id = ${shopId}
      AND (buyer_email IS NOT NULL OR recipient_name IS NOT NULL OR recipient_email IS NOT NULL
           OR message IS NOT NULL)
      AND order_id IN (SELECT id FROM orders WHERE shop_id = ${shopId}
                       AND customer_id = ANY(${customerIds}::text[]))`.execute(tx);
}
