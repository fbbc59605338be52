import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * Erasure (RODO art. 17) of what the shop wrote about the person: staff notes and tasks go, the
 * shop's tags and the activities' data are emptied (the activities themselves stay, for the
 * points they earned). Returns the ids of the notes and tasks removed, which audit entries name.
 */
export async function forgetCustomerNotes(
  tx: Tx,
  shopId: string,
  customerIds: string[],
): Promise<string[]> {
  const { rows: notes } = await sql<{ id: string }>`
    DELETE FROM customer_notes WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])
    RETURNING id`.execute(tx);
  const { rows: tasks } = await sql<{ id: string }>`
    DELETE FROM customer_tasks WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[])
    RETURNING id`.execute(tx);
  await sql`
    UPDATE customers SET tags = '{}'
    WHERE shop_id = ${shopId} AND id = ANY(${customerIds}::text[]) AND tags <> '{}'`.execute(tx);
  await sql`
    UPDATE customer_activities SET data = '{}'
    WHERE shop_id = ${shopId} AND customer_id = ANY(${customerIds}::text[]) AND data <> '{}'`.execute(
    tx,
  );
  return [...notes, ...tasks].map((r) => r.id);
}
