import type { Db } from '../db/connect.ts';

/**
 * Removes a connection with its credentials, cursors, errors and code queue. Codes already
 * created in the platform stay there (the merchant's shop keeps working for customers holding them).
 */
export async function removeConnection(db: Db, shopId: string, connectionId: string) {
  const result = await db
    .deleteFrom('connections')
    .where('shop_id', '=', shopId)
    .where('id', '=', connectionId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
