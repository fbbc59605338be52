import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { formatDate, formatMoney, isLocale, type Locale } from '../shared/i18n.ts';
import { maskEmail } from '../shared/mask-email.ts';
import { compileMjml } from '../messaging/compile-mjml.ts';
import { escapeHtml } from '../messaging/html-escape.ts';
import { messageIdFor } from '../messaging/email-transport.ts';
import type { DeliveryJob } from './schedule-delivery.ts';
import type { VoucherDeps } from './deliver-gift-card.ts';
import { mjmlHead } from './voucher-email.ts';
import { voucherTexts } from './voucher-texts.ts';

/** The graphile-worker task that tells a card's buyer it was delivered (app/worker.ts). */
export const GIFT_CARD_BUYER_COPY = 'gift-card-buyer-copy';

/**
 * Books the buyer's confirmation, in the transaction that marks the recipient's e-mail sent (so
 * once per card); the key makes a second booking change nothing.
 */
export async function scheduleBuyerCopy(tx: Tx, job: DeliveryJob): Promise<void> {
  await sql`SELECT graphile_worker.add_job(
    ${GIFT_CARD_BUYER_COPY}, ${JSON.stringify(job)}::json, max_attempts := 10::smallint,
    job_key := ${`${GIFT_CARD_BUYER_COPY}:${job.shopId}:${job.giftCardId}`})`.execute(tx);
}

/** Whether the buyer gets a copy: they gave an e-mail and the card went to someone else. */
export function buyerGetsCopy(sale: {
  buyer_email: string | null;
  recipient_email: string | null;
}) {
  return (
    sale.buyer_email !== null &&
    sale.recipient_email !== null &&
    sale.buyer_email.trim().toLowerCase() !== sale.recipient_email.trim().toLowerCase()
  );
}

const texts: Record<
  Locale,
  {
    subject: (shop: string) => string;
    sent: (amount: string, shop: string, to: string, date: string) => string;
    secret: string;
    message: string;
  }
> = {
  pl: {
    subject: (shop) => `Karta podarunkowa doręczona: ${shop}`,
    sent: (amount, shop, to, date) =>
      `Karta podarunkowa o wartości ${amount} (${shop}) została wysłana ${date} do: ${to}.`,
    secret: 'Kod karty i PIN zna tylko obdarowany: nie ma ich w tej wiadomości.',
    message: 'Twoje życzenia:',
  },
  en: {
    subject: (shop) => `Your gift card for ${shop} has been delivered`,
    sent: (amount, shop, to, date) =>
      `The gift card worth ${amount} for ${shop} was sent on ${date} to: ${to}.`,
    secret: 'Only the recipient has the card code and PIN: they are not in this message.',
    message: 'Your message:',
  },
};

/**
 * The buyer's copy: a short note that the card reached its recipient, in the language the
 * buyer shopped in (the order's customer locale, when the platform gave it) or else the shop's.
 * It names the value, the recipient (name, masked e-mail), the day and the buyer's own message;
 * never the code or the PIN, which only the recipient's e-mail carries.
 */
export async function sendBuyerCopy(
  deps: Pick<VoucherDeps, 'db' | 'email' | 'mailFrom'>,
  job: DeliveryJob,
): Promise<'sent' | 'nothing-to-send'> {
  const sale = await deps.db
    .selectFrom('gift_card_sales as s')
    .innerJoin('shops as h', 'h.id', 's.shop_id')
    .leftJoin('orders as o', (j) =>
      j.onRef('o.shop_id', '=', 's.shop_id').onRef('o.id', '=', 's.order_id'),
    )
    .select([
      's.buyer_email',
      's.recipient_email',
      's.recipient_name',
      's.message',
      's.amount',
      's.currency',
      's.sent_at',
      'o.customer_locale',
      'h.name as shop_name',
      'h.locale as shop_locale',
      'h.timezone',
    ])
    .where('s.shop_id', '=', job.shopId)
    .where('s.gift_card_id', '=', job.giftCardId)
    .executeTakeFirst();
  if (!sale || !sale.sent_at || !buyerGetsCopy(sale)) return 'nothing-to-send';
  const locale: Locale =
    sale.customer_locale ?? (isLocale(sale.shop_locale) ? sale.shop_locale : 'pl');
  const t = texts[locale];
  const shop = sale.shop_name;
  const masked = maskEmail(sale.recipient_email!);
  const to = sale.recipient_name ? `${sale.recipient_name} (${masked})` : masked;
  const sent = t.sent(
    formatMoney(Number(sale.amount), sale.currency, locale),
    shop,
    to,
    formatDate(sale.sent_at, sale.timezone, locale),
  );
  const e = escapeHtml;
  const quote = sale.message ? voucherTexts[locale].quote(sale.message) : null;
  const mjml = `<mjml lang="${locale}">
${mjmlHead(t.subject(shop))}
<mj-body background-color="#f4f4f2" width="600px">
<mj-section background-color="#ffffff" padding="16px 0"><mj-column>
<mj-text font-size="20px" font-weight="700">${e(shop)}</mj-text>
<mj-text>${e(sent)}</mj-text>
${quote ? `<mj-text font-size="14px" color="#4a545e">${e(t.message)}</mj-text><mj-text font-style="italic">${e(quote)}</mj-text>` : ''}
<mj-text font-size="14px" color="#4a545e">${e(t.secret)}</mj-text>
</mj-column></mj-section>
</mj-body></mjml>`;
  const result = await compileMjml(mjml);
  if ('problems' in result) {
    throw new Error(`buyer's copy: ${result.problems.map((p) => p.message).join('; ')}`);
  }
  const text = [sent, quote ? `${t.message}\n${quote}` : null, t.secret]
    .filter((line): line is string => line !== null)
    .join('\n\n');
  const sendKey = `gift-card-buyer-${job.giftCardId}`;
  await deps.email.send({
    to: sale.buyer_email!,
    from: { name: shop, address: deps.mailFrom },
    subject: t.subject(shop),
    html: result.html,
    text,
    headers: { 'X-Lojal-Shop': job.shopId, 'X-Lojal-Message': sendKey },
    messageId: messageIdFor(sendKey),
  });
  return 'sent';
}
