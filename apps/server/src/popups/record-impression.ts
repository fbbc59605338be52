import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { localDay } from '../shared/zoned-time.ts';
import { definitionOf } from './popup-schema.ts';
import { findPopup } from './manage-popups.ts';

/**
 * A visitor saw a pop-up: counted once per visitor, pop-up and the shop's day, however often
 * the widget reports it (a reload, a retry), so A/B results count people, not page views.
 */
export async function recordImpression(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  popupId: string,
  input: { visitorId: string; variant: string },
): Promise<{ recorded: boolean }> {
  const popup = await findPopup(db, shop.id, popupId);
  if (popup.status === 'archived') throw problems.notFound(`Pop-up ${popupId}`);
  if (!definitionOf(popup).variants.some((v) => v.id === input.variant)) {
    throw problems.validation([
      { path: 'variant', message: `the pop-up has no variant ${input.variant}` },
    ]);
  }
  const now = clock.now();
  const row = await db
    .insertInto('popup_impressions')
    .values({
      shop_id: shop.id,
      popup_id: popup.id,
      visitor_id: input.visitorId,
      day: localDay(now, shop.timezone),
      variant: input.variant,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['shop_id', 'popup_id', 'visitor_id', 'day']).doNothing())
    .returning('popup_id')
    .executeTakeFirst();
  return { recorded: row !== undefined };
}
