import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * Erasure (RODO art. 17) for reviews: the person's photos go, and their reviews lose every word
 * (title, text, the shop's reply and moderation note, the photo link). The ratings stay, so the
 * shop's averages do not move. Returns the ids of the person's reviews, which audit entries name.
 */
export async function forgetReviewTexts(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<string[]> {
  await sql`
    DELETE FROM review_photos WHERE shop_id = ${shopId}
      AND review_id IN (SELECT id FROM reviews WHERE shop_id = ${shopId}
                        AND customer_id = ANY(${customerIds}::text[]))`.execute(tx);
  const { rows } = await sql<{ id: string }>`
    UPDATE reviews SET title = NULL, body = NULL, reply = NULL, moderation_note = NULL, photo_url = NULL
    WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])
    RETURNING id`.execute(tx);
  return rows.map((r) => r.id);
}
