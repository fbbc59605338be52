import type { Db, Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { newToken, type SecretBox } from '../shared/secrets.ts';
import { issueApiKey } from './issue-api-key.ts';
import { shopView, WEBHOOK_SECRET_PREFIX, type ShopRow } from './shop.ts';
import { numberedSlug, slugFromName } from './shop-slug.ts';
import { problems } from '../shared/errors.ts';

export interface NewShop {
  name: string;
  currency: string;
  timezone: string;
  locale: string;
  returnWindowDays?: number;
  isDemo?: boolean;
  /** The shop in its links (/r/{slug}/{code}); made from the name when not given. */
  slug?: string;
}

/** What every new shop starts with from one feature (a points rule, a reward, a flow…). */
export type ShopDefault = (tx: Tx, clock: Clock, shop: ShopRow) => Promise<void>;

/**
 * Creates a shop with its first API key and webhook secret, returned in plain text this once.
 * Each feature's defaults (app/provision-shop.ts) are added inside this transaction.
 */
export async function createShop(
  db: Db,
  clock: Clock,
  box: SecretBox,
  input: NewShop,
  defaults: readonly ShopDefault[],
) {
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const shop = await insertShop(tx, input, now);
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
    for (const addDefault of defaults) await addDefault(tx, clock, shop);
    return { ...shopView(shop), apiKey: key.apiKey, apiKeyId: key.id, webhookSecret };
  });
}

async function insertShop(tx: Tx, input: NewShop, now: Date): Promise<ShopRow> {
  const base = input.slug ?? slugFromName(input.name);
  // A slug another shop has gets the next number; one the operator asked for is refused.
  for (let n = 1; n <= (input.slug ? 1 : 1000); n++) {
    const shop = await tx
      .insertInto('shops')
      .values({
        id: newId('shp'),
        name: input.name,
        slug: numberedSlug(base, n),
        currency: input.currency,
        timezone: input.timezone,
        locale: input.locale,
        return_window_days: input.returnWindowDays ?? 14,
        is_demo: input.isDemo ?? false,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (shop) return shop;
  }
  throw problems.conflict(`The slug ${base} is another shop's.`);
}
