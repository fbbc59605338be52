import { escapeHtml, publicPage } from '../surveys/public-page.ts';
import { formatDate, formatMoney, type Locale } from '../shared/i18n.ts';
import type { checkGiftCardBalance } from './check-balance.ts';

type Found = NonNullable<Awaited<ReturnType<typeof checkGiftCardBalance>>>;

const words = {
  pl: {
    title: 'Saldo karty podarunkowej',
    lead: 'Wpisz kod karty i PIN z karty albo z e-maila.',
    code: 'Kod karty',
    pin: 'PIN',
    submit: 'Sprawdź saldo',
    wrong: 'Kod lub PIN są nieprawidłowe. Sprawdź je i spróbuj ponownie.',
    balance: 'Saldo',
    card: 'Karta',
    until: 'Ważna do',
    noEnd: 'bezterminowo',
    status: { active: 'aktywna', expired: 'wygasła', disabled: 'zablokowana' },
    state: 'Stan',
    other: 'English',
    again: 'Sprawdź inną kartę',
  },
  en: {
    title: 'Gift card balance',
    lead: 'Enter the card code and the PIN from the card or the e-mail.',
    code: 'Card code',
    pin: 'PIN',
    submit: 'Check the balance',
    wrong: 'The code or the PIN is not right. Check them and try again.',
    balance: 'Balance',
    card: 'Card',
    until: 'Valid until',
    noEnd: 'no end date',
    status: { active: 'active', expired: 'expired', disabled: 'disabled' },
    state: 'Status',
    other: 'Polski',
    again: 'Check another card',
  },
} as const;

/**
 * The public balance-check page of one shop (`/g/{shop}`): a form for the code and PIN (posted,
 * so neither ever appears in a URL or a log), and after a check the balance and end date, or one
 * message for a wrong code and a wrong PIN alike.
 */
export function balancePage(input: {
  locale: Locale;
  shopName: string;
  action: string;
  timezone: string;
  result?: Found | 'wrong';
}): string {
  const w = words[input.locale];
  const other: Locale = input.locale === 'pl' ? 'en' : 'pl';
  const e = escapeHtml;
  const found = input.result && input.result !== 'wrong' ? input.result : null;
  const form = `<form method="post" action="${e(input.action)}?lang=${input.locale}">
<label for="code">${e(w.code)}</label>
<input type="text" id="code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="60" required>
<label for="pin">${e(w.pin)}</label>
<input type="text" id="pin" name="pin" inputmode="numeric" autocomplete="off" maxlength="12" required>
<button type="submit">${e(w.submit)}</button>
</form>`;
  const result = found
    ? `<section aria-live="polite">
<p>${e(w.card)} <strong>${e(found.maskedCode)}</strong></p>
<h2>${e(w.balance)}: ${e(formatMoney(found.balance.amount, found.balance.currency, input.locale))}</h2>
<p>${e(w.state)}: ${e(w.status[found.status])}</p>
<p>${e(w.until)}: ${e(found.expiresAt ? formatDate(found.expiresAt, input.timezone, input.locale) : w.noEnd)}</p>
</section>
<section><h2>${e(w.again)}</h2>
${form}</section>`
    : `${input.result === 'wrong' ? `<p class="error" role="alert">${e(w.wrong)}</p>\n` : ''}<p>${e(w.lead)}</p>
${form}`;
  return publicPage({
    locale: input.locale,
    title: `${w.title} — ${input.shopName}`,
    heading: `${w.title}: ${input.shopName}`,
    body: `${result}
<p class="note"><a href="${e(input.action)}?lang=${other}" lang="${other}">${e(w.other)}</a></p>`,
  });
}
