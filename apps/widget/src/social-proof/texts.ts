import type { Locale } from '../shared/context.ts';

const texts = {
  pl: {
    label: 'Co kupują inni klienci',
    close: 'Zamknij powiadomienie',
    never: 'Nie pokazuj więcej',
  },
  en: {
    label: 'What other customers buy',
    close: 'Close the notification',
    never: "Don't show again",
  },
} as const;

export function socialProofText(locale: Locale) {
  return texts[locale];
}
