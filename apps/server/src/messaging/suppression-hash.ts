import { createHmac, randomBytes } from 'node:crypto';
import type { Db, Tx } from '../db/connect.ts';

/** How a hashed address starts on the suppression lists (an address never does). */
export const HASHED_PREFIX = 'hmac:';

/**
 * An erased customer's address stays on the shop's suppression lists (a bounce, a complaint, an
 * SMS STOP must keep working) only as an HMAC-SHA-256 with the shop's secret salt: nobody can
 * read the address back, and without the salt nobody can test a guess against it either. The
 * same address gives the same hash, so a later send to it is still suppressed.
 */
export function hashAddress(salt: Buffer, channel: string, address: string): string {
  const normalised = channel === 'email' ? address.trim().toLowerCase() : address.trim();
  const mac = createHmac('sha256', salt).update(`${channel}:${normalised}`).digest('hex');
  return `${HASHED_PREFIX}${mac}`;
}

/** The shops' salts, for those that have one (a shop gets one at its first erasure). */
export async function suppressionSalts(
  db: Db | Tx,
  shopIds: string[],
): Promise<Map<string, Buffer>> {
  if (shopIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('privacy_settings')
    .select(['shop_id', 'suppression_salt'])
    .where('shop_id', 'in', [...new Set(shopIds)])
    .execute();
  return new Map(rows.map((r) => [r.shop_id, r.suppression_salt]));
}

/** The shop's salt, made (32 random bytes) the first time it is needed. */
export async function ensureSuppressionSalt(tx: Tx, shopId: string): Promise<Buffer> {
  await tx
    .insertInto('privacy_settings')
    .values({ shop_id: shopId, suppression_salt: randomBytes(32) })
    .onConflict((oc) => oc.column('shop_id').doNothing())
    .execute();
  const row = await tx
    .selectFrom('privacy_settings')
    .select('suppression_salt')
    .where('shop_id', '=', shopId)
    .executeTakeFirstOrThrow();
  return row.suppression_salt;
}

/**
 * Erasure (RODO art. 17) for the suppression lists: each listed address of the person is
 * replaced by its salted hash, so the bounce, complaint or STOP keeps working.
 */
export async function hashSuppressedAddresses(
  tx: Tx,
  shopId: string,
  addresses: Array<{ channel: string; address: string }>,
): Promise<void> {
  if (addresses.length === 0) return;
  const listed = await tx
    .selectFrom('suppressions')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where(
      'address',
      'in',
      addresses.map((a) => a.address),
    )
    .execute();
  if (listed.length === 0) return;
  const salt = await ensureSuppressionSalt(tx, shopId);
  for (const row of listed) {
    await tx
      .insertInto('suppressions')
      .values({ ...row, address: hashAddress(salt, row.channel, row.address) })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await tx
      .deleteFrom('suppressions')
      .where('shop_id', '=', shopId)
      .where('channel', '=', row.channel)
      .where('address', '=', row.address)
      .execute();
  }
}
