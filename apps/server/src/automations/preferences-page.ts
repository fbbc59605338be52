import type { ConsentChannel, ConsentPurpose } from '../db/schema.ts';
import type { Locale } from '../shared/i18n.ts';
import { escapeHtml, publicPage } from '../surveys/public-page.ts';

const CHANNEL: Record<ConsentChannel, { pl: string; en: string }> = {
  email: { pl: 'E-mail', en: 'E-mail' },
  sms: { pl: 'SMS', en: 'SMS' },
  push: { pl: 'Powiadomienia w przeglądarce', en: 'Browser notifications' },
};

const PURPOSE: Record<ConsentPurpose, { pl: string; en: string }> = {
  marketing: { pl: 'oferty, kupony i nowości', en: 'offers, coupons and news' },
  loyalty: {
    pl: 'punkty, nagrody i status w programie',
    en: 'points, rewards and programme status',
  },
  feedback: { pl: 'prośby o opinię i ankiety', en: 'review requests and surveys' },
};

/** The exact words next to a checkbox: kept as the proof of what the person agreed to. */
export function consentLabel(
  shopName: string,
  channel: ConsentChannel,
  purpose: ConsentPurpose,
  locale: Locale,
): string {
  return locale === 'pl'
    ? `${CHANNEL[channel].pl}: ${PURPOSE[purpose].pl} od ${shopName}`
    : `${CHANNEL[channel].en}: ${PURPOSE[purpose].en} from ${shopName}`;
}

export function preferencesPage(input: {
  locale: Locale;
  shopName: string;
  action: string;
  consents: Array<{ channel: ConsentChannel; purpose: ConsentPurpose; granted: boolean }>;
  saved?: boolean;
}): string {
  const pl = input.locale === 'pl';
  const rows = input.consents
    .map((c) => {
      const name = `${c.channel}:${c.purpose}`;
      const label = consentLabel(input.shopName, c.channel, c.purpose, input.locale);
      return `<p><label><input type="checkbox" name="${name}" value="1"${c.granted ? ' checked' : ''}> ${escapeHtml(label)}</label></p>`;
    })
    .join('\n');
  return publicPage({
    locale: input.locale,
    title: pl ? 'Twoje zgody' : 'Your preferences',
    heading: pl
      ? `Jakie wiadomości chcesz dostawać od ${input.shopName}?`
      : `Which messages do you want from ${input.shopName}?`,
    body: `${input.saved ? `<p role="status"><strong>${pl ? 'Zapisano. Dziękujemy!' : 'Saved. Thank you!'}</strong></p>` : ''}
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="form" value="preferences">
${rows}
<p><button type="submit">${pl ? 'Zapisz' : 'Save'}</button></p>
</form>
<p>${pl ? 'Wiadomości o zamówieniach (np. potwierdzenia) wysyłamy zawsze.' : 'Messages about your orders (such as confirmations) are always sent.'}</p>`,
  });
}

export function unsubscribedPage(locale: Locale, shopName: string, preferencesUrl: string): string {
  const pl = locale === 'pl';
  return publicPage({
    locale,
    title: pl ? 'Wypisano' : 'Unsubscribed',
    heading: pl ? 'Wypisano Cię z tych wiadomości' : 'You are unsubscribed from these messages',
    body: `<p>${escapeHtml(pl ? `Nie wyślemy Ci już takich wiadomości od ${shopName}.` : `${shopName} will not send you such messages again.`)}</p>
<p><a href="${escapeHtml(preferencesUrl)}">${pl ? 'Zmień pozostałe ustawienia' : 'Change your other preferences'}</a></p>`,
  });
}

export function confirmUnsubscribePage(locale: Locale, action: string): string {
  const pl = locale === 'pl';
  return publicPage({
    locale,
    title: pl ? 'Wypisz się' : 'Unsubscribe',
    heading: pl ? 'Czy na pewno chcesz się wypisać?' : 'Do you want to unsubscribe?',
    body: `<form method="post" action="${escapeHtml(action)}"><p><button type="submit">${pl ? 'Tak, wypisz mnie' : 'Yes, unsubscribe me'}</button></p></form>`,
  });
}
