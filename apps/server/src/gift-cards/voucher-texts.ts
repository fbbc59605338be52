import type { Locale } from '../shared/i18n.ts';

/** What the voucher (PDF) and its e-mail say, in Polish and English. */
export const voucherTexts: Record<
  Locale,
  {
    title: string;
    for: (name: string) => string;
    code: string;
    pin: string;
    validUntil: (date: string) => string;
    noExpiry: string;
    balance: string;
    howTo: (shop: string) => string;
    subject: (shop: string) => string;
    intro: (shop: string, amount: string) => string;
    introNamed: (name: string, shop: string, amount: string) => string;
    messageFrom: string;
    attached: string;
    checkBalance: string;
    quote: (text: string) => string;
  }
> = {
  pl: {
    title: 'Karta podarunkowa',
    for: (name) => `Dla: ${name}`,
    code: 'Kod karty',
    pin: 'PIN',
    validUntil: (date) => `Ważna do ${date}`,
    noExpiry: 'Ważna bezterminowo',
    balance: 'Sprawdź saldo: zeskanuj kod QR albo wejdź na stronę',
    // The shop's name after a colon: Polish would decline it after "w" or "do", which a name
    // given as it is cannot do ("w Kawiarnia Żółta Łódź").
    howTo: (shop) => `Podaj kod karty przy płatności w: ${shop}.`,
    subject: (shop) => `Masz kartę podarunkową: ${shop}`,
    intro: (shop, amount) => `Otrzymujesz kartę podarunkową o wartości ${amount} do: ${shop}.`,
    introNamed: (name, shop, amount) =>
      `${name}, otrzymujesz kartę podarunkową o wartości ${amount} do: ${shop}.`,
    messageFrom: 'Wiadomość od kupującego:',
    attached: 'Kartę do wydruku znajdziesz w załączniku (PDF).',
    checkBalance: 'Sprawdź saldo',
    quote: (text) => `„${text}”`,
  },
  en: {
    title: 'Gift card',
    for: (name) => `For: ${name}`,
    code: 'Card code',
    pin: 'PIN',
    validUntil: (date) => `Valid until ${date}`,
    noExpiry: 'No expiry date',
    balance: 'Check the balance: scan the QR code or visit',
    howTo: (shop) => `Give the card code when you pay at ${shop}.`,
    subject: (shop) => `You have a gift card for ${shop}`,
    intro: (shop, amount) => `You have received a gift card for ${shop} worth ${amount}.`,
    introNamed: (name, shop, amount) =>
      `${name}, you have received a gift card for ${shop} worth ${amount}.`,
    messageFrom: 'A message from the buyer:',
    attached: 'A printable card is attached (PDF).',
    checkBalance: 'Check the balance',
    quote: (text) => `“${text}”`,
  },
};
