import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Db } from '../db/connect.ts';
import { customerView } from '../customers/customer-view.ts';
import type { TemplateVariables } from '../messaging/template-variables.ts';
import { referralLink } from '../referrals/referral-code.ts';
import type { Locale } from '../shared/i18n.ts';
import type { ShopRow } from '../shops/shop.ts';
import { sampleTemplateVariables } from './sample-template-variables.ts';

/**
 * The variables of a preview for one of the shop's real customers (the shop's own id): their
 * name, e-mail, points, points about to expire, tier and referral link as a message to them
 * would read them now. What a message takes from its occasion — a coupon, an order, survey and
 * review links — and the preference links stay the sample's, so every branch still renders.
 */
export async function customerPreviewVariables(
  db: Kysely<Database>,
  shop: ShopRow,
  externalId: string,
  locale: Locale,
  publicUrl: string,
  now: Date,
): Promise<TemplateVariables> {
  const sample = sampleTemplateVariables(shop, locale, publicUrl, now);
  const view = await customerView(db as Db, shop, externalId, now);
  const expiring = view.points.expiringSoon;
  return {
    ...sample,
    customer: {
      ...(view.firstName ? { firstName: view.firstName } : {}),
      ...(view.lastName ? { lastName: view.lastName } : {}),
      ...(view.email ? { email: view.email } : {}),
      externalId: view.id,
    },
    points: {
      available: view.points.available,
      pending: view.points.pending,
      ...(expiring[0]
        ? {
            expiringAmount: expiring.reduce((s, e) => s + e.points, 0),
            expiringAt: expiring[0].expiresAt,
          }
        : {}),
    },
    ...(view.tier?.current
      ? {
          tier: {
            name: view.tier.current.name[locale],
            measure: view.tier.metric === 'points_earned' ? 'points' : view.tier.metric,
            ...(view.tier.next
              ? { nextTierName: view.tier.next.name[locale], toNext: view.tier.next.needed }
              : {}),
          },
        }
      : { tier: undefined }),
    ...(view.referralCode
      ? {
          referral: {
            ...sample.referral!,
            code: view.referralCode,
            link: referralLink(publicUrl, shop.slug, view.referralCode),
          },
        }
      : {}),
  } as TemplateVariables;
}
