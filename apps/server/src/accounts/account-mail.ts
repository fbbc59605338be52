import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { formatDate, type Locale } from '../shared/i18n.ts';
import { messageIdFor, type EmailTransport } from '../messaging/email-transport.ts';
import { escapeHtml } from '../messaging/html-escape.ts';
import { outboxTransport } from '../messaging/outbox-transport.ts';
import { smtpTransport } from '../messaging/smtp-transport.ts';
import type { MemberRole } from './roles.ts';

/**
 * Mail to the people who run shops goes over SMTP_URL, or without it into account_mail: not
 * the shops' mail_outbox, which a shop's API key reads, since a reset link opens every shop of
 * the person it is for.
 */
export function accountMailTransport(db: Db, clock: Clock, smtpUrl: string | undefined) {
  if (smtpUrl) return smtpTransport(smtpUrl);
  return outboxTransport(async (mail) => {
    await db
      .insertInto('account_mail')
      .values({
        to_address: mail.to,
        subject: mail.subject,
        raw: mail.raw,
        created_at: clock.now(),
      })
      .execute();
  });
}

const ROLE_NAMES: Record<Locale, Record<MemberRole, string>> = {
  pl: {
    owner: 'właściciel',
    admin: 'administrator',
    marketer: 'marketing',
    support: 'obsługa klienta',
    analyst: 'analityk',
  },
  en: {
    owner: 'owner',
    admin: 'admin',
    marketer: 'marketer',
    support: 'support',
    analyst: 'analyst',
  },
};

interface Letter {
  subject: string;
  lines: string[];
  button: string;
  url: string;
}

function invitationLetter(
  locale: Locale,
  o: { shopName: string; inviter: string; role: MemberRole; url: string; until: string },
): Letter {
  const role = ROLE_NAMES[locale][o.role];
  return locale === 'pl'
    ? {
        subject: `Zaproszenie do zespołu sklepu ${o.shopName}`,
        lines: [
          `${o.inviter} zaprasza Cię do panelu Lojal sklepu ${o.shopName} (rola: ${role}).`,
          `Link działa jeden raz, do ${o.until}.`,
        ],
        button: 'Przyjmij zaproszenie',
        url: o.url,
      }
    : {
        subject: `You are invited to the ${o.shopName} team`,
        lines: [
          `${o.inviter} invites you to the Lojal dashboard of ${o.shopName} (role: ${role}).`,
          `The link works once, until ${o.until}.`,
        ],
        button: 'Accept the invitation',
        url: o.url,
      };
}

function resetLetter(locale: Locale, o: { url: string; until: string }): Letter {
  return locale === 'pl'
    ? {
        subject: 'Ustaw nowe hasło do Lojal',
        lines: [
          'Ktoś (mamy nadzieję, że Ty) poprosił o nowe hasło do panelu Lojal.',
          `Link działa jeden raz, do ${o.until}. Jeśli to nie Ty, zignoruj tę wiadomość.`,
        ],
        button: 'Ustaw nowe hasło',
        url: o.url,
      }
    : {
        subject: 'Set a new Lojal password',
        lines: [
          'Someone (we hope you) asked for a new password for the Lojal dashboard.',
          `The link works once, until ${o.until}. If it was not you, ignore this e-mail.`,
        ],
        button: 'Set a new password',
        url: o.url,
      };
}

function compose(letter: Letter, to: string, from: string, sendKey: string) {
  const html =
    letter.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n') +
    `\n<p><a href="${escapeHtml(letter.url)}">${escapeHtml(letter.button)}</a></p>\n`;
  const text = `${letter.lines.join('\n')}\n\n${letter.button}: ${letter.url}\n`;
  return {
    to,
    from: { name: 'Lojal', address: from },
    subject: letter.subject,
    html,
    text,
    headers: {},
    messageId: messageIdFor(sendKey),
  };
}

export interface AccountMailer {
  transport: EmailTransport;
  from: string;
  publicUrl: string;
}

export async function sendInvitationMail(
  mailer: AccountMailer,
  o: {
    id: string;
    to: string;
    token: string;
    locale: Locale;
    timezone: string;
    shopName: string;
    inviter: string;
    role: MemberRole;
    expiresAt: Date;
  },
): Promise<void> {
  const url = `${mailer.publicUrl}/admin/invitation?token=${encodeURIComponent(o.token)}`;
  const until = formatDate(o.expiresAt, o.timezone, o.locale, 'datetime');
  const letter = invitationLetter(o.locale, { ...o, url, until });
  await mailer.transport.send(compose(letter, o.to, mailer.from, `invitation-${o.id}`));
}

export async function sendPasswordResetMail(
  mailer: AccountMailer,
  o: { id: string; to: string; token: string; locale: Locale; timezone: string; expiresAt: Date },
): Promise<void> {
  const url = `${mailer.publicUrl}/admin/reset-password?token=${encodeURIComponent(o.token)}`;
  const until = formatDate(o.expiresAt, o.timezone, o.locale, 'datetime');
  await mailer.transport.send(
    compose(resetLetter(o.locale, { url, until }), o.to, mailer.from, `reset-${o.id}`),
  );
}
