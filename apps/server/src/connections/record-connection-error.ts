import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { newId } from '../shared/ids.ts';

const KEPT = 50;

/** Adds an error to a connection's list, keeping its newest 50. Messages never hold credentials. */
export async function recordConnectionError(
  db: Db,
  input: {
    shopId: string;
    connectionId: string;
    at: Date;
    direction: 'test' | 'pull' | 'push';
    kind: string;
    message: string;
  },
): Promise<void> {
  await db
    .insertInto('connection_errors')
    .values({
      shop_id: input.shopId,
      connection_id: input.connectionId,
      id: newId('cne'),
      at: input.at,
      direction: input.direction,
      kind: input.kind,
      message: input.message.slice(0, 1000),
    })
    .execute();
  await sql`
    DELETE FROM connection_errors
     WHERE shop_id = ${input.shopId} AND connection_id = ${input.connectionId}
       AND id NOT IN (SELECT id FROM connection_errors
                       WHERE shop_id = ${input.shopId} AND connection_id = ${input.connectionId}
                       ORDER BY at DESC, id DESC LIMIT ${KEPT})`.execute(db);
}
