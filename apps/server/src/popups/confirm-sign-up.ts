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

export type Confirmation =
  | { kind: 'invalid' }
  | { kind: 'already'; locale: Locale; shopName: string }
  | {
      kind: 'confirmed';
      locale: Locale;
      shopName: string;
      timezone: string;
      storefrontUrl: string | null;
      coupon: { code: string; discount: DiscountSpec; expiresAt: Date | null } | null;
    };

/** The shop's own id Lojal gives a customer it creates for a confirmed sign-up. */
export const signUpCustomerId = (signUpId: string) => `lojal-popup-${signUpId}`;

/**
 * Following the double opt-in link: the first time, and only then, the sign-up is confirmed,
 * the welcome coupon issued (one code, whatever arrives at once: the row is locked while it is
 * decided) and the consent to e-mail marketing recorded with its proof on the customer with this
 * e-mail. Without such a customer one is created through the event log, like any other
 * (`customer.created`), and the consent follows when it is applied (popups reaction). The code
 * is shown on the page and e-mailed. A second visit of the link changes nothing.
 */
export async function confirmSignUp(
  deps: {
    db: Db;
    clock: Clock;
    box: SecretBox;
    inbox: InboxWriter;
    mailer: PopupMailer;
    logger?: Logger;
  },
  token: string,
): Promise<Confirmation> {
  const { db, clock } = deps;
  const now = clock.now();
  const link = readConfirmToken(deps.box, token, now);
  if (!link) return { kind: 'invalid' };
  const shop = await db
    .selectFrom('shops')
    .select(['id', 'name', 'timezone', 'storefront_url'])
    .where('id', '=', link.shopId)
    .executeTakeFirst();
  if (!shop) return { kind: 'invalid' };

  const outcome = await db.transaction().execute(async (tx) => {
    const signUp = await tx
      .selectFrom('popup_sign_ups')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('id', '=', link.signUpId)
      .forUpdate()
      .executeTakeFirst();
    if (!signUp || signUp.email === null) return { kind: 'invalid' as const };
    if (signUp.confirmed_at) return { kind: 'already' as const, locale: signUp.locale };
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
      locale: signUp.locale,
      signUp: confirmed,
      email: signUp.email,
      customerId,
      coupon,
    };
  });
  if (outcome.kind === 'invalid') return outcome;
  if (outcome.kind === 'already') return { ...outcome, shopName: shop.name };

  if (!outcome.customerId) {
    // A new customer, created the way every customer is: an event in the log (deduplicated by
    // its id, so a retry creates no second one); the consent is recorded when it is applied.
    await deps.inbox.write(
      apiEventDelivery(shop.id, {
        type: 'customer.created',
        id: `popup-sign-up-${outcome.signUp.id}`,
        occurredAt: now.toISOString(),
        data: {
          id: signUpCustomerId(outcome.signUp.id),
          email: outcome.email,
          acceptsMarketing: { email: true },
        },
      }),
    );
  }
  if (outcome.coupon) {
    try {
      await sendWelcomeCouponMail(
        db,
        deps.mailer,
        { ...shop, storefrontUrl: shop.storefront_url },
        {
          signUpId: outcome.signUp.id,
          to: outcome.email,
          locale: outcome.locale,
          code: outcome.coupon.code,
          discount: outcome.coupon.discount,
          expiresAt: outcome.coupon.expiresAt,
        },
      );
    } catch (error) {
      // The code is on the page in front of the person; the e-mail is a copy.
      deps.logger?.warn(
        { err: error, signUpId: outcome.signUp.id },
        'welcome coupon e-mail not sent',
      );
    }
  }
  return {
    kind: 'confirmed',
    locale: outcome.locale,
    shopName: shop.name,
    timezone: shop.timezone,
    storefrontUrl: shop.storefront_url,
    coupon: outcome.coupon
      ? {
          code: outcome.coupon.code,
          discount: outcome.coupon.discount,
          expiresAt: outcome.coupon.expiresAt,
        }
      : null,
  };
}
