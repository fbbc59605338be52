import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { Locale } from '../shared/i18n.ts';
import type { ShopRow } from '../shops/shop.ts';
import { addDays, localDay } from '../shared/zoned-time.ts';
import { customerMatches } from '../segments/customer-matches.ts';
import { findSegmentRules } from '../segments/manage-segments.ts';
import { assignVariant } from './assign-variant.ts';
import { isCheckoutPath } from './checkout-paths.ts';
import { pageAllowed } from './page-rules.ts';
import { contentFor } from './popup-content.ts';
import { definitionOf, type PopupRow } from './popup-schema.ts';

export interface Visit {
  /** The page's path (location.pathname, perhaps with its query). */
  path: string;
  visitor: 'new' | 'returning';
  /** The widget's random id for this browser, kept in localStorage. */
  visitorId: string;
  /** The cart's value in minor units of the shop's currency, when the page knows it. */
  cartTotal: number | null;
  /** The shop's own id of the signed-in customer (the customer token's `sub`), if any. */
  customerExternalId: string | null;
  locale: Locale;
}

async function activePopups(db: Db, shopId: string): Promise<PopupRow[]> {
  return db
    .selectFrom('popups')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
}

/** Whether the widget should load the popups chunk on this page (app/onsite-chunks.ts). */
export async function popupWantedOn(db: Db, shop: ShopRow, path: string): Promise<boolean> {
  if (isCheckoutPath(path)) return false;
  const popups = await activePopups(db, shop.id);
  return popups.some((p) => pageAllowed(definitionOf(p).pages, path));
}

/**
 * The pop-ups this visit may see, each with the visitor's variant in their language: never on a
 * cart, checkout or payment page; only on the pop-up's pages, for its audience (new or returning
 * visitor, guest or signed-in customer, the customer's segments, the cart's value), and not
 * again to a visitor who saw it on an earlier day within its `everyDays` or signed up through
 * it. The widget keeps the per-session cap and the rest of the frequency in localStorage.
 */
export async function eligiblePopups(db: Db, clock: Clock, shop: ShopRow, visit: Visit) {
  if (isCheckoutPath(visit.path)) return [];
  const now = clock.now();
  const candidates = (await activePopups(db, shop.id)).filter((p) => {
    const d = definitionOf(p);
    const a = d.audience;
    if (!pageAllowed(d.pages, visit.path)) return false;
    if (a.visitors !== 'all' && a.visitors !== visit.visitor) return false;
    if (a.customers === 'guests' && visit.customerExternalId !== null) return false;
    if (a.customers === 'identified' && visit.customerExternalId === null) return false;
    if (a.segmentIds.length > 0 && visit.customerExternalId === null) return false;
    if (a.cartTotal?.min !== undefined && (visit.cartTotal ?? -1) < a.cartTotal.min) return false;
    if (a.cartTotal?.max !== undefined && (visit.cartTotal ?? 0) > a.cartTotal.max) return false;
    return true;
  });
  if (candidates.length === 0) return [];

  const today = localDay(now, shop.timezone);
  const longest = Math.max(...candidates.map((p) => definitionOf(p).frequency.everyDays));
  const since = localDay(addDays(now, -longest), shop.timezone);
  const ids = candidates.map((p) => p.id);
  const [seen, signedUp, customer] = await Promise.all([
    db
      .selectFrom('popup_impressions')
      .select(['popup_id', 'day'])
      .where('shop_id', '=', shop.id)
      .where('visitor_id', '=', visit.visitorId)
      .where('popup_id', 'in', ids)
      .where('day', '>=', since)
      .where('day', '<', today)
      .execute(),
    db
      .selectFrom('popup_sign_ups')
      .select('popup_id')
      .where('shop_id', '=', shop.id)
      .where('visitor_id', '=', visit.visitorId)
      .where('popup_id', 'in', ids)
      .execute(),
    visit.customerExternalId === null
      ? Promise.resolve(undefined)
      : db
          .selectFrom('customers')
          .select('id')
          .where('shop_id', '=', shop.id)
          .where('external_id', '=', visit.customerExternalId)
          .executeTakeFirst(),
  ]);
  const done = new Set(signedUp.map((s) => s.popup_id));

  const eligible = [];
  for (const popup of candidates) {
    const d = definitionOf(popup);
    if (done.has(popup.id)) continue;
    const windowStart = localDay(addDays(now, -d.frequency.everyDays + 1), shop.timezone);
    if (seen.some((s) => s.popup_id === popup.id && s.day >= windowStart)) continue;
    if (
      d.audience.segmentIds.length > 0 &&
      !(await inAnySegment(db, shop, customer?.id, d.audience.segmentIds, now))
    ) {
      continue;
    }
    const variant = assignVariant(popup.id, visit.visitorId, d.variants);
    if (!variant) continue;
    const { locale, content } = contentFor(variant, visit.locale);
    eligible.push({
      id: popup.id,
      kind: popup.kind,
      variant: variant.id,
      locale,
      content,
      triggers: d.triggers,
      frequency: d.frequency,
      pages: d.pages,
      hasCoupon: popup.coupon_campaign_id !== null,
    });
  }
  return eligible;
}

async function inAnySegment(
  db: Db,
  shop: ShopRow,
  customerId: string | undefined,
  segmentIds: string[],
  now: Date,
): Promise<boolean> {
  if (!customerId) return false;
  for (const segmentId of segmentIds) {
    const rules = await findSegmentRules(db, shop, segmentId).catch(() => null);
    if (rules && (await customerMatches(db, shop, customerId, rules, now))) return true;
  }
  return false;
}
