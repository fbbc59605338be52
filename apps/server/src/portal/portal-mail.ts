import type { Db } from '../db/connect.ts';
import { messageIdFor, type EmailTransport } from '../messaging/email-transport.ts';
import { escapeHtml } from '../messaging/html-escape.ts';
import { formatDate, type Locale } from '../shared/i18n.ts';
import type { SignInLink } from './sign-in-links.ts';

interface Letter {
  subject: string;
  greeting: string;
  lines: string[];
  button: string;
  ignore: string;
}

function letter(locale: Locale, o: { shop: string; firstName: string | null; until: string }) {
  return locale === 'pl'
    ? ({
        subject: `Zaloguj się do programu lojalnościowego ${o.shop}`,
        greeting: o.firstName ? `Cześć ${o.firstName},` : 'Dzień dobry,',
        lines: [
          `oto link do Twojego konta w programie lojalnościowym sklepu ${o.shop}: punkty, nagrody, kody i Twoje dane.`,
          `Link działa jeden raz, do ${o.until}.`,
        ],
        button: 'Zaloguj się',
        ignore:
          'Nie chcesz się logować? Zignoruj tę wiadomość: bez tego linku nikt się nie zaloguje.',
      } satisfies Letter)
    : ({
        subject: `Sign in to the ${o.shop} loyalty programme`,
        greeting: o.firstName ? `Hi ${o.firstName},` : 'Hello,',
        lines: [
          `here is the link to your account in the ${o.shop} loyalty programme: points, rewards, codes and your data.`,
          `The link works once, until ${o.until}.`,
        ],
        button: 'Sign in',
        ignore: 'Not signing in? Ignore this e-mail: without this link nobody can sign in.',
      } satisfies Letter);
}

export interface PortalMailer {
  transport: EmailTransport;
  /** LOJAL_MAIL_FROM: the address when the shop set none in its messaging settings. */
  from: string;
  publicUrl: string;
}

/**
 * Mails a portal sign-in link over the transport the shop's customer e-mail uses (SMTP_URL, or
 * the shop's mail outbox without it), from the shop's sender. The token travels in the link's
 * fragment (`/p/{slug}/enter#token`), which browsers never send to a server or in a Referer.
 */
export async function sendSignInLinkMail(
  db: Db,
  mailer: PortalMailer,
  shop: { id: string; name: string; slug: string; timezone: string },
  link: SignInLink,
): Promise<void> {
  const settings = await db
    .selectFrom('messaging_settings')
    .select(['sender_name', 'from_address', 'reply_to'])
    .where('shop_id', '=', shop.id)
    .executeTakeFirst();
  const url = `${mailer.publicUrl}/p/${encodeURIComponent(shop.slug)}/enter#${link.token}`;
  const until = formatDate(link.expiresAt, shop.timezone, link.locale, 'datetime');
  const l = letter(link.locale, { shop: shop.name, firstName: link.firstName, until });
  const html =
    `<p>${escapeHtml(l.greeting)}</p>\n` +
    l.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n') +
    `\n<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:12px 20px;background:#1f6f5c;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(l.button)}</a></p>\n` +
    `<p style="color:#555">${escapeHtml(l.ignore)}</p>\n`;
  const text = `${l.greeting}\n\n${l.lines.join('\n')}\n\n${l.button}: ${url}\n\n${l.ignore}\n`;
  await mailer.transport.send({
    to: link.to,
    from: {
      name: settings?.sender_name ?? shop.name,
      address: settings?.from_address ?? mailer.from,
    },
    ...(settings?.reply_to ? { replyTo: settings.reply_to } : {}),
    subject: l.subject,
    html,
    text,
    // The shop's outbox (without SMTP_URL) files mail by these.
    headers: { 'X-Lojal-Shop': shop.id, 'X-Lojal-Message': link.id },
    messageId: messageIdFor(`portal-${link.id}.${shop.id}`),
  });
}
