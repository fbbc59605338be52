import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { Locale } from '../shared/i18n.ts';
import type { SecretBox } from '../shared/secrets.ts';
import type { Logger } from '../shared/logger.ts';
import type { InboxWriter } from '../ingest/inbox-writer.ts';
import { apiEventDelivery } from '../ingest/api-event.ts';
import type { DiscountSpec } from '../coupons/coupon-decision.ts';
import { issueCampaignCode } from '../coupons/issue-campaign-code.ts';
import { readConfirmToken } from './confirm-links.ts';
import { customerByEmail, linkSignUpConsent } from './link-sign-up-consent.ts';
import { sendWelcomeCouponMail, type PopupMailer } from './popup-mail.ts';

export interface ConfirmShop {
  shopName: string;
  timezone: string;
  storefrontUrl: string | null;
}
export interface WelcomeCoupon {
  code: string;
  discount: DiscountSpec;
  expiresAt: Date | null;
}

/**
 * What the link finds: nothing (forged, expired, erased), a sign-up waiting for the click, or
 * one confirmed — `now` when this request confirmed it, else earlier (the link is used up; the
 * code it issued is shown again, nothing is issued or recorded twice).
 */
export type Confirmation =
  | { kind: 'invalid' }
  | ({ kind: 'pending'; locale: Locale; email: string } & ConfirmShop)
  | ({ kind: 'confirmed' | 'already'; locale: Locale; coupon: WelcomeCoupon | null } & ConfirmShop);

/** The shop's own id Lojal gives a customer it creates for a confirmed sign-up. */
export const signUpCustomerId = (signUpId: string) => `lojal-popup-${signUpId}`;

interface Deps {
  db: Db;
  clock: Clock;
  box: SecretBox;
  inbox: InboxWriter;
  mailer: PopupMailer;
  logger?: Logger;
}

async function linkTarget(deps: Pick<Deps, 'db' | 'box'>, token: string, now: Date) {
  const link = readConfirmToken(deps.box, token, now);
  if (!link) return null;
  const shop = await deps.db
    .selectFrom('shops')
    .select(['id', 'name', 'timezone', 'storefront_url'])
    .where('id', '=', link.shopId)
    .executeTakeFirst();
  return shop ? { link, shop } : null;
}

const shopFacts = (shop: { name: string; timezone: string; storefront_url: string | null }) => ({
  shopName: shop.name,
  timezone: shop.timezone,
  storefrontUrl: shop.storefront_url,
});

async function issuedCoupon(db: Db, shopId: string, couponId: string | null) {
  if (!couponId) return null;
  const c = await db
    .selectFrom('coupons')
    .select(['code', 'discount', 'expires_at'])
    .where('shop_id', '=', shopId)
    .where('id', '=', couponId)
    .executeTakeFirst();
  return c ? { code: c.code, discount: c.discount as DiscountSpec, expiresAt: c.expires_at } : null;
}

/**
 * The page the link opens reads, and changes nothing: mail scanners follow links, and a
 * consent must be the person's own click (the page's button posts the confirmation).
 */
export async function signUpForLink(
  deps: Pick<Deps, 'db' | 'clock' | 'box'>,
  token: string,
): Promise<Confirmation> {
  const target = await linkTarget(deps, token, deps.clock.now());
  if (!target) return { kind: 'invalid' };
  const signUp = await deps.db
    .selectFrom('popup_sign_ups')
    .select(['email', 'locale', 'confirmed_at', 'coupon_id'])
    .where('shop_id', '=', target.shop.id)
    .where('id', '=', target.link.signUpId)
    .executeTakeFirst();
  if (!signUp || signUp.email === null) return { kind: 'invalid' };
  const shop = shopFacts(target.shop);
  if (!signUp.confirmed_at) {
    return { kind: 'pending', locale: signUp.locale, email: signUp.email, ...shop };
  }
  const coupon = await issuedCoupon(deps.db, target.shop.id, signUp.coupon_id);
  return { kind: 'already', locale: signUp.locale, coupon, ...shop };
}

/**
 * The person confirms (the button on the link's page): the first time, and only then, the
 * sign-up is confirmed, the welcome coupon issued (one code however many arrive at once: the
 * row is locked while it is decided) and the consent to e-mail marketing recorded with its proof
 * on the customer with this e-mail. Without such a customer one is created through the event log
 * like any other (`customer.created`), and the consent follows when it is applied (the popups
 * reaction). The code is shown on the page and e-mailed.
 */
export async function confirmSignUp(deps: Deps, token: string): Promise<Confirmation> {
  const { db, clock } = deps;
  const now = clock.now();
  const target = await linkTarget(deps, token, now);
  if (!target) return { kind: 'invalid' };
  const { link, shop } = target;

  const outcome = await db.transaction().execute(async (tx) => {
    const signUp = await tx
      .selectFrom('popup_sign_ups')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('id', '=', link.signUpId)
      .forUpdate()
      .executeTakeFirst();
    if (!signUp || signUp.email === null) return { kind: 'invalid' as const };
    if (signUp.confirmed_at) return { kind: 'already' as const, signUp };
    const popup = await tx
      .selectFrom('popups')
      .select(['coupon_campaign_id', 'coupon_valid_days'])
      .where('shop_id', '=', shop.id)
      .where('id', '=', signUp.popup_id)
      .executeTakeFirstOrThrow();
    const coupon = popup.coupon_campaign_id
      ? await issueCampaignCode(tx, {
          shopId: shop.id,
          campaignId: popup.coupon_campaign_id,
          at: now,
          validDays: popup.coupon_valid_days,
        })
      : null;
    const confirmed = await tx
      .updateTable('popup_sign_ups')
      .set({ confirmed_at: now, coupon_id: coupon?.id ?? null })
      .where('shop_id', '=', shop.id)
      .where('id', '=', signUp.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const customerId = await customerByEmail(tx, shop.id, signUp.email);
    if (customerId) await linkSignUpConsent(tx, clock, confirmed, customerId);
    return {
      kind: 'confirmed' as const,
      signUp: confirmed,
      email: signUp.email,
      customerId,
      coupon,
    };
  });
  if (outcome.kind === 'invalid') return outcome;
  const facts = shopFacts(shop);
  if (outcome.kind === 'already') {
    const coupon = await issuedCoupon(db, shop.id, outcome.signUp.coupon_id);
    return { kind: 'already', locale: outcome.signUp.locale, coupon, ...facts };
  }

  const { signUp, email, coupon } = outcome;
  if (!outcome.customerId) {
    // A new customer, created the way every customer is: an event in the log (deduplicated by
    // its id, so a retry creates no second one); the consent is recorded when it is applied.
    await deps.inbox.write(
      apiEventDelivery(shop.id, {
        type: 'customer.created',
        id: `popup-sign-up-${signUp.id}`,
        occurredAt: now.toISOString(),
        data: { id: signUpCustomerId(signUp.id), email, acceptsMarketing: { email: true } },
      }),
    );
  }
  if (coupon) {
    try {
      await sendWelcomeCouponMail(
        db,
        deps.mailer,
        {
          id: shop.id,
          name: shop.name,
          timezone: shop.timezone,
          storefrontUrl: shop.storefront_url,
        },
        {
          signUpId: signUp.id,
          to: email,
          locale: signUp.locale,
          code: coupon.code,
          discount: coupon.discount,
          expiresAt: coupon.expiresAt,
        },
      );
    } catch (error) {
      // The code is on the page in front of the person; the e-mail is a copy.
      deps.logger?.warn({ err: error, signUpId: signUp.id }, 'welcome coupon e-mail not sent');
    }
  }
  return {
    kind: 'confirmed',
    locale: signUp.locale,
    coupon: coupon && { code: coupon.code, discount: coupon.discount, expiresAt: coupon.expiresAt },
    ...facts,
  };
}
