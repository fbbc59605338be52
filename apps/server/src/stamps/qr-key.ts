import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.ts';
import type { SecretBox } from '../shared/secrets.ts';

// A shop's key never changes once made, so a process keeps it.
const cache = new Map<string, Buffer>();

/**
 * The key that signs a shop's stamp QR payloads: random per shop, stored sealed with the
 * instance key, so a leaked payload key of one shop says nothing about another's.
 */
export async function shopQrKey(db: Db, box: SecretBox, shopId: string): Promise<Buffer> {
  const hit = cache.get(shopId);
  if (hit) return hit;
  await db
    .insertInto('stamp_qr_keys')
    .values({ shop_id: shopId, key_box: box.seal(randomBytes(32)) })
    .onConflict((oc) => oc.column('shop_id').doNothing())
    .execute();
  const row = await db
    .selectFrom('stamp_qr_keys')
    .select('key_box')
    .where('shop_id', '=', shopId)
    .executeTakeFirstOrThrow();
  const key = box.open(row.key_box);
  if (cache.size > 10_000) cache.clear();
  cache.set(shopId, key);
  return key;
}
