import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { newToken, type SecretBox } from '../shared/secrets.ts';
import { WEBHOOK_SECRET_OVERLAP_MS, WEBHOOK_SECRET_PREFIX } from './shop.ts';

/**
 * Switches the shop to a new webhook secret: one Lojal makes, or the one the platform signs
 * with (Shopify signs with the app's client secret or the key shown in the shop's admin, so
 * the merchant gives it to Lojal). Secrets in use before keep verifying for one hour, so
 * deliveries signed before the platform switched still count.
 */
export async function rotateWebhookSecret(
  db: Kysely<Database>,
  clock: Clock,
  box: SecretBox,
  shopId: string,
  provided?: string,
) {
  const webhookSecret = provided ?? newToken(WEBHOOK_SECRET_PREFIX);
  const now = clock.now();
  const retiresAt = new Date(now.getTime() + WEBHOOK_SECRET_OVERLAP_MS);
  // One transaction, the shop row locked: a crash or a second rotation at the same moment can
  // never leave the shop without a current secret.
  await db.transaction().execute(async (tx) => {
    await tx.selectFrom('shops').select('id').where('id', '=', shopId).forUpdate().execute();
    await tx
      .updateTable('webhook_secrets')
      .set({ retires_at: retiresAt })
      .where('shop_id', '=', shopId)
      .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', retiresAt)]))
      .execute();
    await tx
      .insertInto('webhook_secrets')
      .values({
        shop_id: shopId,
        id: newId('whs'),
        secret_box: box.seal(webhookSecret),
        created_at: now,
      })
      .execute();
  });
  return { webhookSecret, previousSecretsValidUntil: retiresAt.toISOString() };
}
