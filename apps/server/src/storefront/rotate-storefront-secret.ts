import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { newToken, type SecretBox } from '../shared/secrets.ts';

export const STOREFRONT_SECRET_PREFIX = 'sfsec_';
/** How long a rotated-out storefront secret still verifies tokens (API.md: one hour). */
export const STOREFRONT_SECRET_OVERLAP_MS = 60 * 60 * 1000;

/**
 * Makes the shop a new storefront secret, shown once. Secrets made before keep verifying
 * customer tokens for one hour, so pages already open with a token signed by the old one keep
 * working while the shop's backend switches.
 */
export async function rotateStorefrontSecret(db: Db, clock: Clock, box: SecretBox, shopId: string) {
  const secret = newToken(STOREFRONT_SECRET_PREFIX);
  const now = clock.now();
  const retiresAt = new Date(now.getTime() + STOREFRONT_SECRET_OVERLAP_MS);
  // The shop row locked: two rotations at once still leave exactly one current secret.
  await db.transaction().execute(async (tx) => {
    await tx.selectFrom('shops').select('id').where('id', '=', shopId).forUpdate().execute();
    const previous = await tx
      .updateTable('storefront_secrets')
      .set({ retires_at: retiresAt })
      .where('shop_id', '=', shopId)
      .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', retiresAt)]))
      .executeTakeFirst();
    await tx
      .insertInto('storefront_secrets')
      .values({ shop_id: shopId, id: newId('sfs'), secret_box: box.seal(secret), created_at: now })
      .execute();
    return previous;
  });
  return {
    secret,
    createdAt: now.toISOString(),
    previousSecretsValidUntil: retiresAt.toISOString(),
  };
}
