import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { formatDate, formatMoney, type Locale } from '../shared/i18n.ts';
import type { DiscountSpec } from '../coupons/coupon-decision.ts';
import {
  messageIdFor,
  type EmailTransport,
  type OutgoingEmail,
} from '../messaging/email-transport.ts';
import { escapeHtml } from '../messaging/html-escape.ts';
import { smtpTransport } from '../messaging/smtp-transport.ts';
import { databaseOutbox } from '../automations/message-channels.ts';
import { readMessagingSettings } from '../automations/read-messaging-settings.ts';

/** Pop-up mail goes where the shop's other mail goes: SMTP_URL, or the shop's mail outbox. */
export function popupMailTransport(db: Db, clock: Clock, smtpUrl: string | undefined) {
  return smtpUrl ? smtpTransport(smtpUrl) : databaseOutbox(db, clock);
}

export interface PopupMailer {
  transport: EmailTransport;
  /** LOJAL_MAIL_FROM: the sender when the shop has not set its own. */
  from: string;
}

interface Shop {
  id: string;
  name: string;
  timezone: string;
}

/** A discount in words: "20 zł rabatu", "10% rabatu", "free shipping". */
export function discountWords(d: DiscountSpec, locale: Locale): string {
  const pl = locale === 'pl';
  switch (d.kind) {
    case 'fixed':
      return `${formatMoney(d.amount, d.currency, locale)} ${pl ? 'rabatu' : 'off'}`;
    case 'percentage': {
      const cap =
        d.cap && d.currency
          ? pl
            ? ` (do ${formatMoney(d.cap, d.currency, locale)})`
            : ` (up to ${formatMoney(d.cap, d.currency, locale)})`
          : '';
      return `${d.percent.toLocaleString(locale)}% ${pl ? 'rabatu' : 'off'}${cap}`;
    }
    case 'free_shipping':
      return pl ? 'darmowa dostawa' : 'free shipping';
    case 'free_product':
      return pl ? 'produkt gratis' : 'a free product';
  }
}

async function letter(
  db: Db,
  mailer: PopupMailer,
  shop: Shop,
  o: {
    to: string;
    sendKey: string;
    subject: string;
    lines: string[];
    code?: string;
    link?: { url: string; label: string };
  },
): Promise<OutgoingEmail> {
  const settings = await readMessagingSettings(db, shop.id);
  const colour = settings.brand.primaryColor;
  const paragraphs = o.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  const code = o.code
    ? `<p style="font-size:22px;font-weight:700;letter-spacing:2px;font-family:monospace">${escapeHtml(o.code)}</p>`
    : '';
  const button = o.link
    ? `<p><a href="${escapeHtml(o.link.url)}" style="display:inline-block;padding:12px 20px;background:${escapeHtml(colour)};color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(o.link.label)}</a></p>`
    : '';
  const footer = settings.postalAddress
    ? `<p style="color:#666;font-size:12px">${escapeHtml(shop.name)}, ${escapeHtml(settings.postalAddress)}</p>`
    : `<p style="color:#666;font-size:12px">${escapeHtml(shop.name)}</p>`;
  const html = `<div style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1d2327;max-width:560px">\n${paragraphs}\n${code}${button}\n${footer}\n</div>`;
  const text =
    `${o.lines.join('\n\n')}\n\n` +
    (o.code ? `${o.code}\n\n` : '') +
    (o.link ? `${o.link.label}: ${o.link.url}\n\n` : '') +
    `${shop.name}${settings.postalAddress ? `, ${settings.postalAddress}` : ''}\n`;
  return {
    to: o.to,
    from: { name: settings.senderName ?? shop.name, address: settings.fromAddress ?? mailer.from },
    ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
    subject: o.subject,
    html,
    text,
    // Read by the outbox transport (no SMTP_URL): the shop the mail belongs to and its key.
    headers: { 'X-Lojal-Shop': shop.id, 'X-Lojal-Message': o.sendKey },
    messageId: messageIdFor(o.sendKey),
  };
}

/** The double opt-in e-mail: one button that confirms the sign-up. */
export async function sendConfirmationMail(
  db: Db,
  mailer: PopupMailer,
  shop: Shop,
  o: {
    signUpId: string;
    attempt: number;
    to: string;
    locale: Locale;
    url: string;
    expiresAt: Date;
    withCoupon: boolean;
  },
): Promise<void> {
  const until = formatDate(o.expiresAt, shop.timezone, o.locale, 'long');
  const pl = o.locale === 'pl';
  const lines = pl
    ? [
        `Dziękujemy za zapis do newslettera sklepu ${shop.name}.`,
        `Potwierdź, że to Twój adres: kliknij przycisk poniżej. Link działa jeden raz, do ${until}.` +
          (o.withCoupon ? ' Po potwierdzeniu dostaniesz kod rabatowy na powitanie.' : ''),
        'Jeśli to nie Ty, zignoruj tę wiadomość: bez potwierdzenia nie wyślemy Ci nic więcej.',
      ]
    : [
        `Thank you for signing up to the ${shop.name} newsletter.`,
        `Confirm that this is your address: click the button below. The link works once, until ${until}.` +
          (o.withCoupon ? ' Once confirmed, you get a welcome discount code.' : ''),
        'If you did not sign up, ignore this e-mail: without a confirmation we will send you nothing more.',
      ];
  const mail = await letter(db, mailer, shop, {
    to: o.to,
    sendKey: `popup-confirm-${o.signUpId}-${o.attempt}`,
    subject: pl
      ? `Potwierdź zapis do newslettera ${shop.name}`
      : `Confirm your ${shop.name} newsletter sign-up`,
    lines,
    link: { url: o.url, label: pl ? 'Potwierdzam zapis' : 'Confirm my sign-up' },
  });
  await mailer.transport.send(mail);
}

/** The welcome coupon, once the sign-up is confirmed. */
export async function sendWelcomeCouponMail(
  db: Db,
  mailer: PopupMailer,
  shop: Shop & { storefrontUrl: string | null },
  o: {
    signUpId: string;
    to: string;
    locale: Locale;
    code: string;
    discount: DiscountSpec;
    expiresAt: Date | null;
  },
): Promise<void> {
  const pl = o.locale === 'pl';
  const words = discountWords(o.discount, o.locale);
  const until = o.expiresAt ? formatDate(o.expiresAt, shop.timezone, o.locale, 'long') : null;
  const lines = pl
    ? [
        `Zapis do newslettera sklepu ${shop.name} potwierdzony. Oto Twój kod na powitanie: ${words}.`,
        until ? `Kod jest jednorazowy i ważny do ${until}.` : 'Kod jest jednorazowy.',
      ]
    : [
        `Your sign-up to the ${shop.name} newsletter is confirmed. Here is your welcome code: ${words}.`,
        until ? `The code works once, until ${until}.` : 'The code works once.',
      ];
  const mail = await letter(db, mailer, shop, {
    to: o.to,
    sendKey: `popup-coupon-${o.signUpId}`,
    subject: pl ? `Twój kod powitalny w ${shop.name}` : `Your welcome code for ${shop.name}`,
    lines,
    code: o.code,
    ...(shop.storefrontUrl && {
      link: { url: shop.storefrontUrl, label: pl ? 'Przejdź do sklepu' : 'Go to the shop' },
    }),
  });
  await mailer.transport.send(mail);
}
