import type { Selectable } from 'kysely';
import type { ShopsTable } from '../db/schema.ts';

export type ShopRow = Selectable<ShopsTable>;

/** A shop as the API shows it. */
export function shopView(shop: ShopRow) {
  return {
    id: shop.id,
    name: shop.name,
    slug: shop.slug,
    currency: shop.currency,
    timezone: shop.timezone,
    locale: shop.locale,
    returnWindowDays: shop.return_window_days,
    storefrontUrl: shop.storefront_url,
    storefrontOrigins: shop.storefront_origins,
    storefrontJoinUrl: shop.storefront_join_url,
    brand: {
      logoUrl: shop.brand_logo_url,
      primaryColor: shop.brand_primary_color,
      accentColor: shop.brand_accent_color,
    },
    createdAt: shop.created_at.toISOString(),
  };
}

export const API_KEY_PREFIX = 'lojal_sk_';
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** How long a rotated-out webhook secret still verifies deliveries (API.md: one hour). */
export const WEBHOOK_SECRET_OVERLAP_MS = 60 * 60 * 1000;
