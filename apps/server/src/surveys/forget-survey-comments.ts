import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/** Erasure (RODO art. 17) for surveys: the person's comments go; their scores stay. */
export async function forgetSurveyComments(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<void> {
  await sql`
    UPDATE survey_answers SET comment = NULL
    WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])
      AND comment IS NOT NULL`.execute(tx);
}
