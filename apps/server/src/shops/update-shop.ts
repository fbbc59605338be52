import type { Updateable } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopsTable } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { Problem, problems } from '../shared/errors.ts';
import type { ShopRow } from './shop.ts';

/** What a shop may change about itself (PATCH /v1/shop); a field left out stays as it is. */
export interface ShopSettingsInput {
  name?: string;
  currency?: string;
  timezone?: string;
  locale?: 'pl' | 'en';
  returnWindowDays?: number;
  storefrontUrl?: string | null;
  storefrontOrigins?: string[];
  storefrontJoinUrl?: string | null;
  brand?: {
    logoUrl?: string | null;
    primaryColor?: string | null;
    accentColor?: string | null;
  };
}

/**
 * Changes the shop's own settings. The currency is fixed once the shop has an order: every
 * amount Lojal keeps (orders, refunds, coupons, gift cards, reward values, point value,
 * liability, analytics) is in minor units of that currency, with no currency of its own to
 * convert from, so a new currency would silently misread all of them.
 */
export async function updateShop(
  db: Db,
  clock: Clock,
  shopId: string,
  input: ShopSettingsInput,
): Promise<ShopRow> {
  const changes: Updateable<ShopsTable> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.currency !== undefined) changes.currency = input.currency;
  if (input.timezone !== undefined) changes.timezone = input.timezone;
  if (input.locale !== undefined) changes.locale = input.locale;
  if (input.returnWindowDays !== undefined) changes.return_window_days = input.returnWindowDays;
  if (input.storefrontUrl !== undefined) changes.storefront_url = input.storefrontUrl;
  if (input.storefrontOrigins !== undefined) {
    changes.storefront_origins = [...new Set(input.storefrontOrigins)];
  }
  if (input.storefrontJoinUrl !== undefined) changes.storefront_join_url = input.storefrontJoinUrl;
  const brand = input.brand ?? {};
  if (brand.logoUrl !== undefined) changes.brand_logo_url = brand.logoUrl;
  if (brand.primaryColor !== undefined) changes.brand_primary_color = brand.primaryColor;
  if (brand.accentColor !== undefined) changes.brand_accent_color = brand.accentColor;

  return db.transaction().execute(async (tx) => {
    // Locked, so an order cannot arrive between the check and the currency change.
    const shop = await tx
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', shopId)
      .forUpdate()
      .executeTakeFirst();
    if (!shop) throw problems.notFound(`Shop ${shopId}`);
    if (changes.currency !== undefined && changes.currency !== shop.currency) {
      // One row is enough to know (a count would hold the shop's row lock over every order).
      const anOrder = await tx
        .selectFrom('orders')
        .select('id')
        .where('shop_id', '=', shopId)
        .limit(1)
        .executeTakeFirst();
      if (anOrder) {
        const message = `cannot change from ${shop.currency}: the shop has orders`;
        throw new Problem(
          409,
          'currency-locked',
          'The currency cannot change',
          `The shop has orders in ${shop.currency}. Every amount ` +
            `Lojal keeps (orders, refunds, coupons, gift cards, reward values, the point value, ` +
            `liability and analytics) is stored in minor units of ${shop.currency} without a ` +
            `currency of its own, so changing it to ${changes.currency} would misread all of ` +
            `them. The currency can only be changed before the first order arrives; a shop that ` +
            `sells in another currency needs a shop of its own.`,
          [{ path: 'currency', message }],
        );
      }
    }
    if (Object.keys(changes).length === 0) return shop;
    return tx
      .updateTable('shops')
      .set({ ...changes, updated_at: clock.now() })
      .where('id', '=', shopId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
