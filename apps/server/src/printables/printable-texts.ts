import { plural, type Locale } from '../shared/i18n.ts';

/** Every word printed, in Polish and English; the layouts hold no text of their own. */
export const printTexts = {
  pl: {
    joinHeadline: 'Dołącz do naszego programu lojalnościowego',
    stampLine: (stamps: number, reward: string) =>
      `Zbierz ${plural('pl', stamps, { one: 'pieczątkę', few: 'pieczątki', many: 'pieczątek', other: 'pieczątki' })}, a odbierzesz: ${reward}`,
    pointsLine: 'Zbieraj punkty za zakupy i wymieniaj je na nagrody',
    genericLine: 'Nagradzamy stałych klientów za każdą wizytę',
    scan: 'Zeskanuj kod aparatem telefonu',
    orVisit: 'lub wejdź na',
    askStaff: 'Zapytaj obsługę o kartę stałego klienta',
    foldHere: 'zagnij tutaj',
    cardTitle: 'Karta stałego klienta',
    cardShow: 'Pokaż ten kod przy kasie',
    cardNumber: 'Nr karty',
    cardHowTo:
      'Wydrukuj w skali 100% (rzeczywisty rozmiar). Wytnij wzdłuż linii ciągłej, złóż na pół wzdłuż linii przerywanej, sklej lub zalaminuj.',
    referralLabel: 'Poleć nas',
    // "poleca Ci sklep X", as the landing page says: the name stays undeclined after "sklep".
    referralHeadline: (name: string | null, shop: string) =>
      `${name ?? 'Twój znajomy'} poleca Ci ${/^sklep\b/i.test(shop) ? '' : 'sklep '}${shop}`,
    referralCode: 'Kod polecający',
    referralScan: 'Zeskanuj kod, aby skorzystać z polecenia',
    referralNoOffer: 'Zajrzyj do nas i przekonaj się',
    posterTitle: 'Plakat',
    flyerTitle: 'Ulotka',
    tentTitle: 'Stojak na stolik',
  },
  en: {
    joinHeadline: 'Join our loyalty programme',
    stampLine: (stamps: number, reward: string) =>
      `Collect ${plural('en', stamps, { one: 'stamp', other: 'stamps' })} and get: ${reward}`,
    pointsLine: 'Earn points on every purchase and exchange them for rewards',
    genericLine: 'We reward our regulars for every visit',
    scan: 'Scan the code with your phone camera',
    orVisit: 'or go to',
    askStaff: 'Ask our staff for a loyalty card',
    foldHere: 'fold here',
    cardTitle: 'Loyalty card',
    cardShow: 'Show this code at the till',
    cardNumber: 'Card no.',
    cardHowTo:
      'Print at 100% (actual size). Cut along the solid line, fold in half along the dashed line, then glue or laminate.',
    referralLabel: 'Recommend us',
    referralHeadline: (name: string | null, shop: string) =>
      name ? `${name} recommends ${shop}` : `A friend recommends ${shop}`,
    referralCode: 'Referral code',
    referralScan: 'Scan the code to use the recommendation',
    referralNoOffer: 'Come and see for yourself',
    posterTitle: 'Poster',
    flyerTitle: 'Flyer',
    tentTitle: 'Table tent',
  },
} satisfies Record<Locale, unknown>;

export type PrintTexts = (typeof printTexts)['pl'];
