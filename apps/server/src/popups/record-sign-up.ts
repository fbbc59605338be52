import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Locale } from '../shared/i18n.ts';
import type { SecretBox } from '../shared/secrets.ts';
import type { ShopRow } from '../shops/shop.ts';
import { addDays } from '../shared/zoned-time.ts';
import { DeliveryError } from '../messaging/delivery-error.ts';
import { definitionOf } from './popup-schema.ts';
import { findPopup } from './manage-popups.ts';
import { CONFIRM_TTL_DAYS, confirmUrl } from './confirm-links.ts';
import { sendConfirmationMail, type PopupMailer } from './popup-mail.ts';

/** A pending sign-up's e-mail is sent again at most this often, and this many times in all. */
const RESEND_AFTER_MS = 10 * 60_000;
const MAX_MAILS = 5;

export interface SignUpInput {
  email: string;
  variant: string;
  /** The consent checkbox's text exactly as the visitor saw it. */
  consentText: string;
  page: string;
  locale: Locale;
  visitorId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
}

/**
 * A visitor signed up through a pop-up: the sign-up is kept as pending with its proof (the
 * exact consent text shown, which must be the variant's, the page, the time, the client) and
 * the double opt-in e-mail goes out with a signed, single-use link. Nothing is granted until
 * that link is followed. Signing up again with the same address changes nothing but the proof
 * of a pending sign-up, and sends the e-mail again at most every 10 minutes (5 times in all);
 * the answer is the same whether the address was new, pending or confirmed, so the form tells
 * nobody who is subscribed.
 */
export async function recordSignUp(
  deps: { db: Db; clock: Clock; box: SecretBox; mailer: PopupMailer; publicUrl: string },
  shop: ShopRow,
  popupId: string,
  input: SignUpInput,
): Promise<void> {
  const { db, clock } = deps;
  const popup = await findPopup(db, shop.id, popupId);
  if (popup.status !== 'active') {
    throw problems.conflict('This pop-up is no longer shown; the sign-up was not recorded.');
  }
  const variant = definitionOf(popup).variants.find((v) => v.id === input.variant);
  if (!variant) {
    throw problems.validation([
      { path: 'variant', message: `the pop-up has no variant ${input.variant}` },
    ]);
  }
  const texts = [variant.content.pl?.consentText, variant.content.en?.consentText];
  if (!texts.includes(input.consentText)) {
    throw problems.validation([
      {
        path: 'consentText',
        message:
          "is not the consent text of this variant: send the checkbox's text exactly as shown",
      },
    ]);
  }
  const email = input.email.trim().toLowerCase();
  const now = clock.now();
  const proof = {
    variant: input.variant,
    locale: input.locale,
    text_shown: input.consentText,
    page: input.page,
    client_address: input.clientAddress,
    user_agent: input.userAgent,
    visitor_id: input.visitorId,
    signed_up_at: now,
  };
  const row = await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('popup_sign_ups')
      .values({ shop_id: shop.id, id: newId('pus'), popup_id: popup.id, email, ...proof })
      .onConflict((oc) =>
        oc
          .columns(['shop_id', 'popup_id', 'email'])
          .doUpdateSet(proof)
          .where('popup_sign_ups.confirmed_at', 'is', null),
      )
      .execute();
    return tx
      .selectFrom('popup_sign_ups')
      .select(['id', 'confirmed_at', 'mail_sent_at', 'mails_sent'])
      .where('shop_id', '=', shop.id)
      .where('popup_id', '=', popup.id)
      .where('email', '=', email)
      .forUpdate()
      .executeTakeFirstOrThrow();
  });
  if (row.confirmed_at) return;
  if (row.mails_sent >= MAX_MAILS) return;
  if (row.mail_sent_at && now.getTime() - row.mail_sent_at.getTime() < RESEND_AFTER_MS) return;
  // Claim this send first, so two sign-ups at once send one e-mail.
  const claimed = await db
    .updateTable('popup_sign_ups')
    .set({ mail_sent_at: now, mails_sent: row.mails_sent + 1 })
    .where('shop_id', '=', shop.id)
    .where('id', '=', row.id)
    .where('mails_sent', '=', row.mails_sent)
    .returning('id')
    .executeTakeFirst();
  if (!claimed) return;
  const expiresAt = addDays(now, CONFIRM_TTL_DAYS);
  try {
    await sendConfirmationMail(db, deps.mailer, shop, {
      signUpId: row.id,
      attempt: row.mails_sent + 1,
      to: email,
      locale: input.locale,
      url: confirmUrl(deps.box, deps.publicUrl, shop.id, row.id, expiresAt),
      expiresAt,
      withCoupon: popup.coupon_campaign_id !== null,
    });
  } catch (error) {
    // Not sent: give the claim back, so that trying again sends it.
    await db
      .updateTable('popup_sign_ups')
      .set({ mail_sent_at: row.mail_sent_at, mails_sent: row.mails_sent })
      .where('shop_id', '=', shop.id)
      .where('id', '=', row.id)
      .execute();
    if (error instanceof DeliveryError && error.kind === 'bounce') {
      throw problems.validation([
        { path: 'email', message: 'the mail server refused this address' },
      ]);
    }
    throw problems.unavailable(
      'The confirmation e-mail could not be sent; try again in a minute.',
      60,
    );
  }
}
