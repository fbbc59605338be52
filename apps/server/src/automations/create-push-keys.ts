import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { generateVapidKeys } from '../messaging/web-push-sender.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secrets.ts';

/**
 * Gives the shop its web push (VAPID) key pair, once: browsers bind every subscription to the
 * public key, so a new pair would silently orphan all of them. A second call returns the pair
 * already made. The private key is stored sealed.
 */
export async function createPushKeys(
  db: Kysely<Database>,
  clock: Clock,
  box: SecretBox,
  shopId: string,
): Promise<{ publicKey: string; created: boolean }> {
  const keys = generateVapidKeys();
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto('messaging_settings')
      .values({ shop_id: shopId })
      .onConflict((oc) => oc.column('shop_id').doNothing())
      .execute();
    const updated = await tx
      .updateTable('messaging_settings')
      .set({
        vapid_public_key: keys.publicKey,
        vapid_private_key: box.seal(keys.privateKey),
        updated_at: clock.now(),
      })
      .where('shop_id', '=', shopId)
      .where('vapid_public_key', 'is', null)
      .returning('vapid_public_key')
      .executeTakeFirst();
    if (updated?.vapid_public_key) return { publicKey: updated.vapid_public_key, created: true };
    const existing = await tx
      .selectFrom('messaging_settings')
      .select('vapid_public_key')
      .where('shop_id', '=', shopId)
      .executeTakeFirstOrThrow();
    return { publicKey: existing.vapid_public_key!, created: false };
  });
}
