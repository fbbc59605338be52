import { createContext, useContext } from 'react';

/** The staff app's words, Polish and English; plural forms through Intl.PluralRules. */
export type Lang = 'pl' | 'en';

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
type Entry = string | Plural;

const pl = {
  title: 'Lojal · obsługa',
  language: 'English',
  languageLabel: 'Switch to English',
  back: 'Wróć',
  'pair.title': 'Połącz to urządzenie',
  'pair.intro':
    'W panelu Lojal otwórz Karty z pieczątkami → Urządzenia obsługi → „Połącz telefon” i zeskanuj pokazany kod QR aparatem tego telefonu.',
  'pair.scan': 'Skanuj kod parowania',
  'pair.code': 'Albo wklej kod parowania',
  'pair.submit': 'Połącz',
  'pair.working': 'Łączenie…',
  'pair.done': 'Połączono jako „{name}”.',
  'pair.notPairing': 'To nie jest kod parowania. Zeskanuj kod z panelu Lojal.',
  revoked:
    'To urządzenie zostało odłączone w panelu Lojal. Poproś właściciela o nowy kod parowania.',
  unpair: 'Odłącz to urządzenie',
  'home.device': 'Urządzenie: {name} · {shop}',
  'home.scan': 'Skanuj kod klienta',
  'home.search': 'Telefon, e-mail lub numer karty',
  'home.find': 'Szukaj',
  'home.noneFound': 'Nie znaleziono klienta. Sprawdź numer lub zapisz nowego klienta.',
  'home.signUp': 'Nowy klient',
  'home.giftCard': 'Sprzedaj kartę podarunkową',
  'home.results': 'Znalezieni klienci',
  'scan.title': 'Skanowanie',
  'scan.hint': 'Skieruj aparat na kod QR klienta.',
  'scan.stop': 'Zatrzymaj',
  'scan.noCamera': 'Nie można włączyć aparatu: {reason}',
  'scan.video': 'Obraz z aparatu',
  offline: 'Brak sieci: akcje zapisują się na tym telefonie i zostaną wysłane, gdy sieć wróci.',
  'queue.title': 'Kolejka',
  'queue.pending': {
    one: '{n} akcja czeka na wysłanie',
    few: '{n} akcje czekają na wysłanie',
    many: '{n} akcji czeka na wysłanie',
    other: '{n} akcji czeka na wysłanie',
  },
  'queue.failed': {
    one: '{n} akcja odrzucona',
    few: '{n} akcje odrzucone',
    many: '{n} akcji odrzuconych',
    other: '{n} akcji odrzuconych',
  },
  'queue.empty': 'Wszystko wysłane.',
  'queue.sendNow': 'Wyślij teraz',
  'queue.dismiss': 'Usuń z listy',
  'queue.statusPending': 'czeka',
  'queue.statusFailed': 'odrzucone',
  'queue.queued': 'Zapisano na telefonie: zostanie wysłane, gdy sieć wróci.',
  'action.stamp': 'Pieczątka',
  'action.stampFor': 'Pieczątka: {who}',
  'action.purchase': 'Zakup {amount}: {who}',
  'action.redeem': 'Wymiana nagrody: {who}',
  'action.signUp': 'Nowy klient: {who}',
  'action.giftCard': 'Karta podarunkowa {amount}',
  'action.qr': 'kod QR',
  'stamp.added': 'Pieczątka dodana',
  'stamp.progress': '{stamps} z {required} pieczątek',
  'stamp.today': {
    one: 'Dziś już ostemplowano ({n} pieczątka)',
    few: 'Dziś już ostemplowano ({n} pieczątki)',
    many: 'Dziś już ostemplowano ({n} pieczątek)',
    other: 'Dziś już ostemplowano ({n} pieczątki)',
  },
  'stamp.limit': 'Dzienny limit osiągnięty ({limit})',
  'stamp.full': 'Karta pełna! Wydaj: {reward}',
  'stamp.coupon': 'Kod kuponu: {code}',
  'customer.title': 'Klient',
  'customer.loading': 'Wczytywanie klienta…',
  'customer.joining': 'Klient jest zapisywany… za chwilę pojawi się tutaj.',
  'customer.points': 'Punkty',
  'customer.pointsValue': {
    one: '{n} punkt',
    few: '{n} punkty',
    many: '{n} punktów',
    other: '{n} punktu',
  },
  'customer.pending': 'w drodze: {n}',
  'customer.cards': 'Karty z pieczątkami',
  'customer.addStamp': 'Dodaj pieczątkę',
  'customer.purchase': 'Kwota zakupu ({currency})',
  'customer.purchaseSubmit': 'Nalicz punkty',
  'customer.purchaseDone': 'Zakup {amount} zapisany: punkty zostaną naliczone za chwilę.',
  'customer.amountInvalid': 'Wpisz kwotę, np. 12,50.',
  'customer.rewards': 'Nagrody za punkty',
  'customer.noRewards': 'Brak nagród w katalogu.',
  'customer.redeem': 'Wymień',
  'customer.redeemNamed': 'Wymień: {name}',
  'customer.cost': '{points} pkt',
  'customer.notEnough': 'za mało punktów',
  'customer.redeemed': 'Wymieniono: {name}.',
  'signUp.title': 'Nowy klient',
  'signUp.firstName': 'Imię',
  'signUp.lastName': 'Nazwisko (opcjonalnie)',
  'signUp.email': 'E-mail',
  'signUp.phone': 'Telefon',
  'signUp.contactHint': 'Podaj e-mail lub telefon.',
  'signUp.consents': 'Zgody',
  'signUp.consentsHint':
    'Pokaż ekran klientowi: zgodę zaznacza klient albo obsługa na jego wyraźną prośbę. Zapisujemy dokładnie ten tekst.',
  'signUp.submit': 'Zapisz klienta',
  'signUp.done': 'Klient {name} zapisany.',
  'gift.title': 'Karta podarunkowa',
  'gift.amount': 'Kwota ({currency})',
  'gift.email': 'E-mail obdarowanego (opcjonalnie)',
  'gift.name': 'Imię obdarowanego (opcjonalnie)',
  'gift.message': 'Życzenia (opcjonalnie)',
  'gift.submit': 'Sprzedaj kartę',
  'gift.sold': 'Karta sprzedana',
  'gift.code': 'Kod',
  'gift.pin': 'PIN',
  'gift.once': 'Pokaż klientowi kod i PIN albo zapisz je na karcie: widać je tylko teraz.',
  'gift.sent': 'E-mail z kartą wysłany na {email}.',
  'gift.amountRange': 'Kwota od {min} do {max}.',
  'error.network': 'Brak połączenia z serwerem.',
  'error.generic': 'Nie udało się: {reason}',
  done: 'Gotowe',
} satisfies Record<string, Entry>;

export type Key = keyof typeof pl;

const en: Record<Key, Entry> = {
  title: 'Lojal · staff',
  language: 'Polski',
  languageLabel: 'Przełącz na polski',
  back: 'Back',
  'pair.title': 'Pair this device',
  'pair.intro':
    'In the Lojal dashboard open Stamp cards → Staff devices → “Pair a phone”, and scan the QR code shown with this phone’s camera.',
  'pair.scan': 'Scan the pairing code',
  'pair.code': 'Or paste the pairing code',
  'pair.submit': 'Pair',
  'pair.working': 'Pairing…',
  'pair.done': 'Paired as “{name}”.',
  'pair.notPairing': 'This is not a pairing code. Scan the code from the Lojal dashboard.',
  revoked:
    'This device was disconnected in the Lojal dashboard. Ask the owner for a new pairing code.',
  unpair: 'Unpair this device',
  'home.device': 'Device: {name} · {shop}',
  'home.scan': 'Scan the customer’s code',
  'home.search': 'Phone, e-mail or card number',
  'home.find': 'Find',
  'home.noneFound': 'No customer found. Check the number, or sign up a new customer.',
  'home.signUp': 'New customer',
  'home.giftCard': 'Sell a gift card',
  'home.results': 'Customers found',
  'scan.title': 'Scanning',
  'scan.hint': 'Point the camera at the customer’s QR code.',
  'scan.stop': 'Stop',
  'scan.noCamera': 'The camera cannot start: {reason}',
  'scan.video': 'Camera view',
  offline: 'Offline: actions are saved on this phone and sent when the network returns.',
  'queue.title': 'Queue',
  'queue.pending': {
    one: '{n} action waiting to be sent',
    other: '{n} actions waiting to be sent',
  },
  'queue.failed': { one: '{n} action refused', other: '{n} actions refused' },
  'queue.empty': 'Everything is sent.',
  'queue.sendNow': 'Send now',
  'queue.dismiss': 'Remove from the list',
  'queue.statusPending': 'waiting',
  'queue.statusFailed': 'refused',
  'queue.queued': 'Saved on this phone: it will be sent when the network returns.',
  'action.stamp': 'Stamp',
  'action.stampFor': 'Stamp: {who}',
  'action.purchase': 'Purchase {amount}: {who}',
  'action.redeem': 'Reward: {who}',
  'action.signUp': 'New customer: {who}',
  'action.giftCard': 'Gift card {amount}',
  'action.qr': 'QR code',
  'stamp.added': 'Stamp added',
  'stamp.progress': '{stamps} of {required} stamps',
  'stamp.today': {
    one: 'Already stamped today ({n} stamp)',
    other: 'Already stamped today ({n} stamps)',
  },
  'stamp.limit': 'Daily limit reached ({limit})',
  'stamp.full': 'Card full! Hand over: {reward}',
  'stamp.coupon': 'Coupon code: {code}',
  'customer.title': 'Customer',
  'customer.loading': 'Loading the customer…',
  'customer.joining': 'The customer is being signed up… they will show here in a moment.',
  'customer.points': 'Points',
  'customer.pointsValue': { one: '{n} point', other: '{n} points' },
  'customer.pending': 'on the way: {n}',
  'customer.cards': 'Stamp cards',
  'customer.addStamp': 'Add a stamp',
  'customer.purchase': 'Purchase amount ({currency})',
  'customer.purchaseSubmit': 'Add points',
  'customer.purchaseDone': 'Purchase of {amount} recorded: the points follow in a moment.',
  'customer.amountInvalid': 'Enter an amount, e.g. 12.50.',
  'customer.rewards': 'Rewards for points',
  'customer.noRewards': 'No rewards in the catalogue.',
  'customer.redeem': 'Redeem',
  'customer.redeemNamed': 'Redeem: {name}',
  'customer.cost': '{points} pts',
  'customer.notEnough': 'not enough points',
  'customer.redeemed': 'Redeemed: {name}.',
  'signUp.title': 'New customer',
  'signUp.firstName': 'First name',
  'signUp.lastName': 'Last name (optional)',
  'signUp.email': 'E-mail',
  'signUp.phone': 'Phone',
  'signUp.contactHint': 'Give an e-mail or a phone number.',
  'signUp.consents': 'Consents',
  'signUp.consentsHint':
    'Show the screen to the customer: the customer ticks a consent, or staff do at their clear request. This exact text is recorded.',
  'signUp.submit': 'Sign up the customer',
  'signUp.done': '{name} is signed up.',
  'gift.title': 'Gift card',
  'gift.amount': 'Amount ({currency})',
  'gift.email': 'Recipient’s e-mail (optional)',
  'gift.name': 'Recipient’s name (optional)',
  'gift.message': 'Message (optional)',
  'gift.submit': 'Sell the card',
  'gift.sold': 'Gift card sold',
  'gift.code': 'Code',
  'gift.pin': 'PIN',
  'gift.once':
    'Show the code and PIN to the customer or write them on the card: they are shown only now.',
  'gift.sent': 'The gift card e-mail went to {email}.',
  'gift.amountRange': 'An amount from {min} to {max}.',
  'error.network': 'No connection to the server.',
  'error.generic': 'That did not work: {reason}',
  done: 'Done',
};

const dictionaries: Record<Lang, Record<Key, Entry>> = { pl, en };

export type Translate = (key: Key, values?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const rules = new Intl.PluralRules(lang);
  return (key, values = {}) => {
    const entry = dictionaries[lang][key];
    const text =
      typeof entry === 'string'
        ? entry
        : (entry[rules.select(Number(values.n ?? 0))] ?? entry.other);
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
  };
}

/** The browser's language by default (Polish for pl-*, English otherwise), then the choice. */
export function initialLang(): Lang {
  const saved = localStorage.getItem('lojal-staff-lang');
  if (saved === 'pl' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('pl') ? 'pl' : 'en';
}

export const LangContext = createContext<{ lang: Lang; t: Translate }>({
  lang: 'pl',
  t: translator('pl'),
});

export const useT = () => useContext(LangContext);
