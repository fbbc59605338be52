import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { problems } from '../shared/errors.ts';

/** The shop's public VAPID key, for the storefront's pushManager.subscribe(); 404 until made. */
export async function findPushKey(db: Kysely<Database>, shopId: string) {
  const row = await db
    .selectFrom('messaging_settings')
    .select('vapid_public_key')
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
  if (!row?.vapid_public_key) throw problems.notFound('The web push key (POST to create it)');
  return { publicKey: row.vapid_public_key };
}
