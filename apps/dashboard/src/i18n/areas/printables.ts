import { defineMessages } from '../define-messages.ts';

/** Print materials: the shop's poster, flyer, table tent; a customer's card and referral flyer. */
export const printablesMessages = defineMessages(
  {
    'printables.title': 'Print materials',
    'printables.intro':
      'PDFs with your logo and colours, in Polish and English, ready for a printer. Print at 100% (actual size).',
    'printables.joinUrl': 'The QR code on the poster, flyer and table tent leads to: {url}',
    'printables.shopSection': 'For the shop',
    'printables.customerSection': 'For one customer',
    'printables.customerIntro':
      'A loyalty card with the customer’s own QR code (staff scan it to add stamps), and a “recommend us” flyer with their referral code and link. A customer’s page has them too.',
    'printables.customerId': 'Customer id',
    'printables.customerIdHint': 'The shop’s own id of the customer, as on their page',
    'printables.customerFirst': 'Enter a customer id first.',
    'printables.customerCard': 'Print materials',
    'printables.marketingOnly':
      'The shop’s materials are for owners, admins and marketers; you can print customers’ cards.',
    'printables.empty': 'No print materials.',
    'printables.kind.poster': 'Poster (A4)',
    'printables.kind.flyer': 'Flyer (A6)',
    'printables.kind.table-tent': 'Table tent',
    'printables.kind.loyalty-card': 'Loyalty card',
    'printables.kind.referral-flyer': '“Recommend us” flyer',
    'printables.about.poster':
      'For a wall or a window: the invitation, what joining gives, a large QR code to join.',
    'printables.about.flyer': 'To hand out at the till or put in a parcel.',
    'printables.about.table-tent':
      'For café tables: fold the A4 sheet in half across; both faces read upright.',
    'printables.about.loyalty-card':
      'Bank-card size (85.6 × 54 mm) on an A4 sheet: cut out, fold, glue or laminate.',
    'printables.about.referral-flyer':
      'For a customer to hand to friends: their name, the friend’s offer, their code and link.',
    'printables.sizes':
      'Paper {width} × {height} mm · QR code {qr} mm, error correction {level}, quiet zone {quiet} modules',
    'printables.preview': 'Preview',
    'printables.previewOf': 'Preview: {name} (opens in a new tab)',
    'printables.download': 'Download {language}',
    'printables.downloadNamed': '{download}: {name}',
  },
  {
    'printables.title': 'Materiały do druku',
    'printables.intro':
      'Pliki PDF z Twoim logo i kolorami, po polsku i po angielsku, gotowe do druku. Drukuj w skali 100% (rzeczywisty rozmiar).',
    'printables.joinUrl': 'Kod QR na plakacie, ulotce i stojaku prowadzi do: {url}',
    'printables.shopSection': 'Dla sklepu',
    'printables.customerSection': 'Dla jednego klienta',
    'printables.customerIntro':
      'Karta stałego klienta z jego własnym kodem QR (obsługa skanuje go, by dodać pieczątkę) i ulotka „Poleć nas” z jego kodem i linkiem polecającym. Są też na stronie klienta.',
    'printables.customerId': 'Identyfikator klienta',
    'printables.customerIdHint': 'Identyfikator klienta w Twoim sklepie, jak na jego stronie',
    'printables.customerFirst': 'Najpierw wpisz identyfikator klienta.',
    'printables.customerCard': 'Materiały do druku',
    'printables.marketingOnly':
      'Materiały sklepu drukują właściciele, administratorzy i marketerzy; Ty możesz drukować karty klientów.',
    'printables.empty': 'Brak materiałów do druku.',
    'printables.kind.poster': 'Plakat (A4)',
    'printables.kind.flyer': 'Ulotka (A6)',
    'printables.kind.table-tent': 'Stojak na stolik',
    'printables.kind.loyalty-card': 'Karta stałego klienta',
    'printables.kind.referral-flyer': 'Ulotka „Poleć nas”',
    'printables.about.poster':
      'Na ścianę lub witrynę: zaproszenie, co daje program i duży kod QR do dołączenia.',
    'printables.about.flyer': 'Do rozdawania przy kasie lub wkładania do paczek.',
    'printables.about.table-tent':
      'Na stoliki w kawiarni: złóż kartkę A4 na pół w poprzek; obie strony czyta się prosto.',
    'printables.about.loyalty-card':
      'Rozmiar karty płatniczej (85,6 × 54 mm) na kartce A4: wytnij, złóż, sklej lub zalaminuj.',
    'printables.about.referral-flyer':
      'Dla klienta do rozdania znajomym: jego imię, oferta dla znajomego, jego kod i link.',
    'printables.sizes':
      'Papier {width} × {height} mm · kod QR {qr} mm, korekcja błędów {level}, margines {quiet} moduły',
    'printables.preview': 'Podgląd',
    'printables.previewOf': 'Podgląd: {name} (otwiera się w nowej karcie)',
    'printables.download': 'Pobierz {language}',
    'printables.downloadNamed': '{download}: {name}',
  },
);
