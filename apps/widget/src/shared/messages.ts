import type { Locale } from './context.ts';

/**
 * Every word the widget shows, in Polish and English. The loader uses `launcherText` only (the
 * bundler leaves the rest out of widget.js); the panel uses `panelText`.
 */

/** Plural forms by Intl.PluralRules category; `{n}` is the formatted number. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const launcher = {
  pl: { open: 'Nagrody', label: 'Program lojalnościowy: punkty i nagrody' },
  en: { open: 'Rewards', label: 'Loyalty programme: points and rewards' },
} as const;

export function launcherText(locale: Locale) {
  return launcher[locale];
}

const pl = {
  title: 'Program lojalnościowy',
  close: 'Zamknij',
  back: 'Wróć',
  loading: 'Ładowanie…',
  failed: 'Nie udało się wczytać programu. Spróbuj ponownie za chwilę.',
  retry: 'Spróbuj ponownie',
  sessionEnded: 'Sesja wygasła: odśwież stronę, aby zobaczyć swoje punkty.',
  hello: (name: string | null) => (name ? `Cześć, ${name}!` : 'Cześć!'),
  points: {
    one: '{n} punkt',
    few: '{n} punkty',
    many: '{n} punktów',
    other: '{n} punktu',
  } as PluralForms,
  pts: { one: '{n} pkt', other: '{n} pkt' } as PluralForms,
  balance: 'Twoje punkty',
  // Label forms: a verb would have to agree with the number (1 punkt czeka, 2 punkty czekają).
  pendingOn: (points: string, date: string) => `Dostępne od ${date}: ${points}`,
  pendingSoon: (points: string) => `Oczekujące: ${points}`,
  expiringOn: (points: string, date: string) => `Ważne do ${date}: ${points}`,
  guestTitle: 'Dołącz i zbieraj punkty',
  guestText: 'Za zakupy i polecenia dostajesz punkty, które wymieniasz na rabaty.',
  join: 'Dołącz do programu',
  signInHint: 'Masz już konto? Zaloguj się w sklepie, aby zobaczyć swoje punkty.',
  earnTitle: 'Jak zdobywać punkty',
  rewardsTitle: 'Nagrody',
  noRewards: 'Nagrody pojawią się wkrótce.',
  redeem: 'Wymień',
  redeeming: 'Wymieniam…',
  missing: (points: string) => `Brakuje ${points}`,
  redeemFor: (name: string, points: string) => `Wymień ${points} na: ${name}`,
  redeemedTitle: 'Twój kod rabatowy',
  redeemedText: (name: string) => `Nagroda „${name}” jest Twoja. Użyj kodu przy zamówieniu.`,
  copy: 'Kopiuj',
  copyCode: 'Kopiuj kod',
  copied: 'Skopiowano',
  copyFailed: 'Nie udało się skopiować: zaznacz i skopiuj ręcznie.',
  apply: 'Użyj w koszyku',
  codePreparing:
    'Przygotowujemy Twój kod w sklepie. Za chwilę pojawi się w sekcji „Twoje kody”, gotowy do użycia.',
  codePreparingShort: 'Kod w przygotowaniu…',
  redeemFailed: 'Nie udało się wymienić nagrody.',
  couponsTitle: 'Twoje kody',
  fixedOff: (amount: string) => `Rabat ${amount}`,
  percentOff: (percent: string) => `Rabat ${percent}`,
  freeShipping: 'Darmowa dostawa',
  tierRequired: 'Dostępne na wyższym poziomie',
  joining: 'Zakładamy Twoje konto w programie…',
  times: (n: string) => `×${n}`,
  friendGets: 'Znajomy dostaje',
  friendDiscount: (d: string) => `Z Twoim linkiem znajomi dostają ${d} na pierwsze zakupy.`,
  youGet: 'Ty dostajesz',
  terms: 'Regulamin',
  validUntil: (date: string) => `ważny do ${date}`,
  tierTitle: 'Twój poziom',
  tierNone: 'Bez poziomu',
  tierTop: 'To najwyższy poziom. Dziękujemy!',
  tiersTitle: 'Poziomy',
  toNext: (what: string, tier: string) => `jeszcze ${what} do poziomu ${tier}`,
  orders: {
    one: '{n} zamówienie',
    few: '{n} zamówienia',
    many: '{n} zamówień',
    other: '{n} zamówienia',
  } as PluralForms,
  stampsTitle: 'Karty z pieczątkami',
  stampsOf: (have: number, need: number) => `${have} z ${need} pieczątek`,
  showQr: 'Pokaż kod QR',
  qrTitle: 'Kod do pokazania przy kasie',
  qrText: 'Pokaż ten kod przy kasie, aby dostać pieczątkę.',
  qrValid: (time: string) => `Kod ważny do ${time}`,
  qrAlt: (card: string) => `Kod QR karty ${card}`,
  referTitle: 'Poleć znajomym',
  referLink: 'Twój link polecający',
  shareVia: 'Udostępnij przez',
  share: { whatsapp: 'WhatsApp', messenger: 'Messenger', sms: 'SMS', email: 'E-mail' },
  shareSubject: 'Polecam Ci ten sklep',
  historyTitle: 'Historia punktów',
  historyEmpty: 'Nie ma jeszcze żadnych wpisów.',
  more: 'Pokaż więcej',
  poweredBy: 'Program lojalnościowy Lojal',
};

export type PanelText = typeof pl;

const en: PanelText = {
  title: 'Loyalty programme',
  close: 'Close',
  back: 'Back',
  loading: 'Loading…',
  failed: 'The programme could not be loaded. Please try again in a moment.',
  retry: 'Try again',
  sessionEnded: 'Your session has ended: reload the page to see your points.',
  hello: (name) => (name ? `Hi, ${name}!` : 'Hi!'),
  points: { one: '{n} point', other: '{n} points' },
  pts: { one: '{n} pt', other: '{n} pts' },
  balance: 'Your points',
  pendingOn: (points, date) => `Available from ${date}: ${points}`,
  pendingSoon: (points) => `Pending: ${points}`,
  expiringOn: (points, date) => `Expiring on ${date}: ${points}`,
  guestTitle: 'Join and collect points',
  guestText: 'Earn points for orders and referrals, and turn them into discounts.',
  join: 'Join the programme',
  signInHint: 'Already a member? Sign in to the shop to see your points.',
  earnTitle: 'Ways to earn',
  rewardsTitle: 'Rewards',
  noRewards: 'Rewards are coming soon.',
  redeem: 'Redeem',
  redeeming: 'Redeeming…',
  missing: (points) => `${points} short`,
  redeemFor: (name, points) => `Redeem ${points} for: ${name}`,
  redeemedTitle: 'Your discount code',
  redeemedText: (name) => `“${name}” is yours. Use the code with your order.`,
  copy: 'Copy',
  copyCode: 'Copy code',
  copied: 'Copied',
  copyFailed: 'Could not copy: select it and copy it by hand.',
  apply: 'Apply at checkout',
  codePreparing:
    'We are preparing your code in the shop. It will appear under “Your codes” in a moment, ready to use.',
  codePreparingShort: 'Code being prepared…',
  redeemFailed: 'The reward could not be redeemed.',
  couponsTitle: 'Your codes',
  fixedOff: (amount) => `${amount} off`,
  percentOff: (percent) => `${percent} off`,
  freeShipping: 'Free shipping',
  tierRequired: 'For a higher tier',
  joining: 'Setting up your account in the programme…',
  times: (n) => `×${n}`,
  friendGets: 'Your friend gets',
  friendDiscount: (d) => `With your link, friends get ${d} off their first order.`,
  youGet: 'You get',
  terms: 'Terms',
  validUntil: (date) => `valid until ${date}`,
  tierTitle: 'Your tier',
  tierNone: 'No tier yet',
  tierTop: 'This is the top tier. Thank you!',
  tiersTitle: 'Tiers',
  toNext: (what, tier) => `${what} more to ${tier}`,
  orders: { one: '{n} order', other: '{n} orders' },
  stampsTitle: 'Stamp cards',
  stampsOf: (have, need) => `${have} of ${need} stamps`,
  showQr: 'Show QR code',
  qrTitle: 'Code to show at the counter',
  qrText: 'Show this code at the counter to get a stamp.',
  qrValid: (time) => `Valid until ${time}`,
  qrAlt: (card) => `QR code of the ${card} card`,
  referTitle: 'Refer a friend',
  referLink: 'Your referral link',
  shareVia: 'Share via',
  share: { whatsapp: 'WhatsApp', messenger: 'Messenger', sms: 'SMS', email: 'E-mail' },
  shareSubject: 'A shop I recommend',
  historyTitle: 'Points history',
  historyEmpty: 'Nothing here yet.',
  more: 'Show more',
  poweredBy: 'Loyalty programme by Lojal',
};

export function panelText(locale: Locale): PanelText {
  return locale === 'en' ? en : pl;
}

/** "5 punktów": the number formatted for the language, in its plural form. */
export function plural(locale: Locale, forms: PluralForms, n: number): string {
  const form = forms[new Intl.PluralRules(locale).select(n)] ?? forms.other;
  return form.replace('{n}', new Intl.NumberFormat(locale).format(n));
}

/** Minor units in the shop's currency: "120 zł", "€12.50". */
export function money(locale: Locale, minor: number, currency: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const value = minor / 10 ** digits;
  // Whole amounts without ",00" ("120 zł"), others as the currency writes them.
  return Number.isInteger(value)
    ? new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        maximumFractionDigits: 0,
      }).format(value)
    : format.format(value);
}

/** "12 grudnia" (with the year when it is not this year's). */
export function day(locale: Locale, iso: string, now = new Date()): string {
  const date = new Date(iso);
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    ...(date.getFullYear() !== now.getFullYear() && { year: 'numeric' }),
  }).format(date);
}

export function time(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
}

/** The page's language: `data-locale`, else `<html lang>`; Polish unless it says English. */
export function pickLocale(...candidates: (string | null | undefined)[]): Locale {
  for (const c of candidates) {
    const tag = c?.trim().toLowerCase();
    if (!tag) continue;
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'pl' || tag.startsWith('pl-')) return 'pl';
  }
  return 'pl';
}
