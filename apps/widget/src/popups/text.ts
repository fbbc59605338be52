import type { Locale } from '../shared/context.ts';

/** The pop-up's own words around the shop's texts, in Polish and English. */
const words = {
  pl: {
    close: 'Zamknij',
    email: 'Adres e-mail',
    badEmail: 'Podaj poprawny adres e-mail, np. jan@example.pl.',
    noConsent: 'Zaznacz zgodę, aby się zapisać.',
    sending: 'Wysyłam…',
    failed: 'Nie udało się zapisać. Spróbuj ponownie za chwilę.',
    doneTitle: 'Sprawdź skrzynkę',
    doneText: (email: string) =>
      `Wysłaliśmy link na adres ${email}. Kliknij go, aby potwierdzić zapis — bez tego nie wyślemy nic więcej.`,
    doneCoupon: 'Po potwierdzeniu dostaniesz kod rabatowy.',
  },
  en: {
    close: 'Close',
    email: 'E-mail address',
    badEmail: 'Enter a valid e-mail address, e.g. jane@example.com.',
    noConsent: 'Tick the consent box to sign up.',
    sending: 'Sending…',
    failed: 'The sign-up did not go through. Please try again in a moment.',
    doneTitle: 'Check your inbox',
    doneText: (email: string) =>
      `We sent a link to ${email}. Click it to confirm your sign-up — until then we send nothing more.`,
    doneCoupon: 'Once confirmed, you get your discount code.',
  },
} as const;

export function popupText(locale: Locale) {
  return words[locale];
}
