import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { formatDate, formatMoney, isLocale } from '../shared/i18n.ts';
import type { SecretBox } from '../shared/secrets.ts';
import type { EmailTransport } from '../messaging/email-transport.ts';
import { messageIdFor } from '../messaging/email-transport.ts';
import type { FetchLike } from '../messaging/sms-provider.ts';
import { newCouponCode } from '../coupons/coupon-code.ts';
import { shopPrintFacts } from '../printables/printable-facts.ts';
import { giftCardCodeHash, giftCardCodeHint } from './gift-card-code.ts';
import { giftCardPinHash, newGiftCardPin } from './gift-card-pin.ts';
import type { DeliveryJob } from './schedule-delivery.ts';
import { renderVoucher } from './voucher-pdf.ts';
import { voucherEmail } from './voucher-email.ts';
import { voucherTexts } from './voucher-texts.ts';
import { buyerGetsCopy, scheduleBuyerCopy } from './buyer-copy.ts';

export interface VoucherDeps {
  db: Db;
  clock: Clock;
  email: EmailTransport;
  mailFrom: string;
  publicUrl: string;
  /** Opens a counter sale's sealed code and PIN. */
  box: SecretBox;
  /** Fetches the brand kit's logo (through the outbound guard). */
  fetch: FetchLike;
}

/** The shop's public balance-check page, where a voucher's QR code leads. */
export function balancePageUrl(publicUrl: string, shopSlug: string): string {
  return `${publicUrl.replace(/\/$/, '')}/g/${encodeURIComponent(shopSlug)}`;
}

export type DeliveryOutcome = 'sent' | 'not-due' | 'nothing-to-send';

/**
 * Sends a sold card's voucher e-mail with its PDF, once. The sale row is locked for the send,
 * and marked sent in the same transaction: a job run twice, or two workers, send it once. An
 * online card gets its code and PIN here (the ones made at issue were never shown), so they
 * exist only in this e-mail; a counter sale's, shown to the staff device, come from the sealed
 * copy, which is wiped. A failed send rolls everything back and the queue retries it. Code and
 * PIN are never logged. When the card went to someone else than its buyer, the buyer's copy is
 * booked in the same transaction (buyer-copy.ts).
 */
export async function deliverGiftCard(
  deps: VoucherDeps,
  job: DeliveryJob,
): Promise<DeliveryOutcome> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const sale = await tx
      .selectFrom('gift_card_sales as s')
      .innerJoin('gift_cards as g', (j) =>
        j.onRef('g.shop_id', '=', 's.shop_id').onRef('g.id', '=', 's.gift_card_id'),
      )
      .select([
        's.recipient_email',
        's.buyer_email',
        's.recipient_name',
        's.message',
        's.locale',
        's.amount',
        's.currency',
        's.send_at',
        's.sent_at',
        's.voided_at',
        's.sealed_secret',
        'g.expires_at',
      ])
      .where('s.shop_id', '=', job.shopId)
      .where('s.gift_card_id', '=', job.giftCardId)
      .forUpdate('s')
      .executeTakeFirst();
    if (!sale || sale.sent_at || sale.voided_at || !sale.recipient_email || !sale.send_at) {
      return 'nothing-to-send';
    }
    if (sale.send_at > now) return 'not-due';
    const shop = await tx
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', job.shopId)
      .executeTakeFirstOrThrow();
    let secret: { code: string; pin: string };
    if (sale.sealed_secret) {
      secret = JSON.parse(deps.box.open(sale.sealed_secret).toString('utf8')) as typeof secret;
    } else {
      secret = { code: newCouponCode('GC'), pin: newGiftCardPin() };
      await tx
        .updateTable('gift_cards')
        .set({
          code_hash: giftCardCodeHash(job.shopId, secret.code),
          code_hint: giftCardCodeHint(secret.code),
          pin_hash: giftCardPinHash(job.shopId, job.giftCardId, secret.pin),
        })
        .where('shop_id', '=', job.shopId)
        .where('id', '=', job.giftCardId)
        .execute();
    }
    const locale = isLocale(sale.locale) ? sale.locale : 'pl';
    const print = await shopPrintFacts(deps.db, shop, {
      publicUrl: deps.publicUrl,
      fetch: deps.fetch,
    });
    const facts = {
      brand: print.brand,
      amount: formatMoney(Number(sale.amount), sale.currency, locale),
      code: secret.code,
      pin: secret.pin,
      recipientName: sale.recipient_name,
      message: sale.message,
      validUntil: sale.expires_at ? formatDate(sale.expires_at, shop.timezone, locale) : null,
      balanceUrl: balancePageUrl(deps.publicUrl, shop.slug),
    };
    const [pdf, mail] = await Promise.all([
      renderVoucher(facts, locale),
      voucherEmail(facts, locale),
    ]);
    const sendKey = `gift-card-${job.giftCardId}`;
    await deps.email.send({
      to: sale.recipient_email,
      from: { name: shop.name, address: deps.mailFrom },
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: { 'X-Lojal-Shop': job.shopId, 'X-Lojal-Message': sendKey },
      messageId: messageIdFor(sendKey),
      attachments: [
        {
          filename: `${voucherTexts[locale].title.toLowerCase().replace(/\s+/g, '-')}.pdf`,
          content: pdf,
          contentType: 'application/pdf',
        },
      ],
    });
    await tx
      .updateTable('gift_card_sales')
      .set({ sent_at: now, sealed_secret: null })
      .where('shop_id', '=', job.shopId)
      .where('gift_card_id', '=', job.giftCardId)
      .execute();
    if (buyerGetsCopy(sale)) await scheduleBuyerCopy(tx, job);
    return 'sent';
  });
}
