import { defineMessages } from '../define-messages.ts';

/** Exports: the whole shop as a zip (settings) and a segment as an ad audience (segment page). */
export const exportsMessages = defineMessages(
  {
    'exports.preparing': 'Preparing the file… it downloads as soon as it is ready.',
    'exports.saved': 'Saved {file} ({rows, plural, one {# row} other {# rows}}).',
    'exports.failed': 'The file could not be made. Try again; if it fails again, tell us.',
    'exports.shop.title': 'Export all data',
    'exports.shop.intro':
      'Every customer, order with its lines, points entry, coupon, referral, consent, message, review, survey answer, tier, gift card and stamp card of the shop, one file per kind in a zip. Use it to keep a copy or to move to another system.',
    'exports.shop.jsonl': 'Download (JSON Lines)',
    'exports.shop.csv': 'Download (CSV)',
    'exports.shop.note':
      'Amounts in the smallest unit of the currency (grosze for PLN), times in UTC. The file holds personal data: keep it safe. Each download is recorded in the audit log; the file is removed after 3 days.',
    'exports.audience.title': 'Audience for ads',
    'exports.audience.intro':
      'The members of this segment who agreed to marketing, as a file to upload to the ad platform. E-mail addresses and phone numbers are hashed (SHA-256); only what the customer agreed to (e-mail, SMS) goes in.',
    'exports.audience.meta': 'Meta (Facebook, Instagram)',
    'exports.audience.google': 'Google Ads',
    'exports.audience.tiktok': 'TikTok',
  },
  {
    'exports.preparing': 'Przygotowujemy plik… pobierze się, gdy tylko będzie gotowy.',
    'exports.saved':
      'Zapisano {file} ({rows, plural, one {# wiersz} few {# wiersze} many {# wierszy} other {# wiersza}}).',
    'exports.failed':
      'Nie udało się przygotować pliku. Spróbuj ponownie; jeśli znów się nie uda, daj nam znać.',
    'exports.shop.title': 'Eksport wszystkich danych',
    'exports.shop.intro':
      'Wszyscy klienci, zamówienia z pozycjami, wpisy punktowe, kupony, polecenia, zgody, wiadomości, opinie, odpowiedzi na ankiety, poziomy, karty podarunkowe i karty pieczątek sklepu — po jednym pliku na rodzaj, w archiwum zip. Do zachowania kopii albo przeniesienia do innego systemu.',
    'exports.shop.jsonl': 'Pobierz (JSON Lines)',
    'exports.shop.csv': 'Pobierz (CSV)',
    'exports.shop.note':
      'Kwoty w najmniejszej jednostce waluty (dla PLN w groszach), czas w UTC. Plik zawiera dane osobowe: przechowuj go bezpiecznie. Każde pobranie trafia do dziennika zdarzeń; plik jest usuwany po 3 dniach.',
    'exports.audience.title': 'Grupa odbiorców reklam',
    'exports.audience.intro':
      'Klienci z tego segmentu, którzy zgodzili się na marketing, jako plik do wgrania na platformę reklamową. Adresy e-mail i numery telefonów są zahaszowane (SHA-256); trafia tylko to, na co klient się zgodził (e-mail, SMS).',
    'exports.audience.meta': 'Meta (Facebook, Instagram)',
    'exports.audience.google': 'Google Ads',
    'exports.audience.tiktok': 'TikTok',
  },
);
