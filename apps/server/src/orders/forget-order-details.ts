import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { normalizeCode } from '../coupons/coupon-code.ts';

/**
 * Erasure (RODO art. 17) for the person's orders past the customer row: what the buyer typed on
 * the product page (a gift card's recipient and message, kept as the line's properties) and the
 * refunds' reasons. Amounts, lines and refunds stay, so sums and analytics are unchanged.
 */
export async function forgetOrderDetails(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<void> {
  const theirOrders = sql`(SELECT id FROM orders WHERE shop_id = ${shopId}
                           AND customer_id = ANY(${customerIds}::text[]))`;
  await sql`
    UPDATE order_lines SET properties = NULL
    WHERE shop_id = ${shopId} AND properties IS NOT NULL AND order_id IN ${theirOrders}`.execute(
    tx,
  );
  await sql`
    UPDATE refunds SET reason = NULL
    WHERE shop_id = ${shopId} AND reason IS NOT NULL AND order_id IN ${theirOrders}`.execute(tx);
}

/**
 * A code replaced in every order of the shop that carried it (an erased referrer's old code on
 * their friends' orders becomes the new one), compared as codes are: case, spaces and dashes
 * aside. Each order keeps its codes' order.
 */
export async function replaceDiscountCode(
  tx: Tx,
  shopId: string,
  old: string,
  code: string,
): Promise<void> {
  const key = normalizeCode(old);
  await sql`
    UPDATE orders SET discount_codes = (
      SELECT array_agg(CASE WHEN upper(regexp_replace(d, '[\\s-]', '', 'g')) = ${key}
                            THEN ${code} ELSE d END ORDER BY n)
      FROM unnest(discount_codes) WITH ORDINALITY AS t(d, n))
    WHERE shop_id = ${shopId} AND EXISTS (SELECT 1 FROM unnest(discount_codes) d
      WHERE upper(regexp_replace(d, '[\\s-]', '', 'g')) = ${key})`.execute(tx);
}
