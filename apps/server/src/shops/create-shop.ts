import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { newToken, type SecretBox } from '../shared/secrets.ts';
import { issueApiKey } from './issue-api-key.ts';
import { shopView, WEBHOOK_SECRET_PREFIX } from './shop.ts';
import { liveProgramme } from '../points/live-programme.ts';
import { addDefaultReward } from '../rewards/manage-rewards.ts';
import { enableReadyFlow } from '../automations/manage-flows.ts';

export interface NewShop {
  name: string;
  currency: string;
  timezone: string;
  locale: string;
  returnWindowDays?: number;
  isDemo?: boolean;
}

/**
 * Creates a shop with its first API key and webhook secret, returned in plain text this once.
 * The default programme — the points rule, a reward, the welcome series — is added inside
 * this transaction.
 */
export async function createShop(db: Db, clock: Clock, box: SecretBox, input: NewShop) {
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const shop = await tx
      .insertInto('shops')
      .values({
        id: newId('shp'),
        name: input.name,
        currency: input.currency,
        timezone: input.timezone,
        locale: input.locale,
        return_window_days: input.returnWindowDays ?? 14,
        is_demo: input.isDemo ?? false,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const key = await issueApiKey(tx, shop.id, 'default');
    const webhookSecret = newToken(WEBHOOK_SECRET_PREFIX);
    await tx
      .insertInto('webhook_secrets')
      .values({
        shop_id: shop.id,
        id: newId('whs'),
        secret_box: box.seal(webhookSecret),
        created_at: now,
      })
      .execute();
    // API.md's working default: 1 point per currency unit, pending 14 days, one reward.
    await liveProgramme(tx, shop.id);
    await addDefaultReward(tx, clock, shop);
    // The welcome series after a first order, switched on (its e-mails need marketing consent).
    await enableReadyFlow(tx, clock, shop, 'welcome');
    return { ...shopView(shop), apiKey: key.apiKey, apiKeyId: key.id, webhookSecret };
  });
}
