import type { Locale } from '../shared/i18n.ts';

type Text = Record<Locale, string>;

/** Each kind of a customer's data as the person reads it: its name, purpose and source. */
export const KIND_TEXTS: Record<string, { title: Text; purpose: Text; source: Text }> = {
  profile: {
    title: { en: 'Profile', pl: 'Profil' },
    purpose: {
      en: 'Who you are in the loyalty programme: the details the shop sent, your referral code, tier, badges and the predictions the shop uses to choose offers.',
      pl: 'Kim jesteś w programie lojalnościowym: dane przesłane przez sklep, Twój kod polecający, poziom, odznaki i przewidywania, według których sklep dobiera oferty.',
    },
    source: {
      en: "The shop's platform (or its API) sent these details; the programme added the rest.",
      pl: 'Te dane przesłała platforma sklepu (lub jego API); resztę dodał program.',
    },
  },
  orders: {
    title: { en: 'Orders', pl: 'Zamówienia' },
    purpose: {
      en: 'Your orders and refunds, to award points and rewards for them.',
      pl: 'Twoje zamówienia i zwroty, aby przyznać za nie punkty i nagrody.',
    },
    source: {
      en: "The shop's platform or till, when you bought.",
      pl: 'Platforma lub kasa sklepu, przy zakupie.',
    },
  },
  points: {
    title: { en: 'Points', pl: 'Punkty' },
    purpose: {
      en: 'Your points: what you earned, spent and what expires, and the rewards you took.',
      pl: 'Twoje punkty: co zdobyłeś, wydałeś i co wygasa, oraz odebrane nagrody.',
    },
    source: {
      en: 'Computed by the programme from your orders and activities; staff adjustments.',
      pl: 'Wyliczone przez program z Twoich zamówień i aktywności; korekty obsługi sklepu.',
    },
  },
  stamps: {
    title: { en: 'Stamp cards', pl: 'Karty pieczątek' },
    purpose: {
      en: 'Your stamp cards and the stamps collected on them.',
      pl: 'Twoje karty pieczątek i zebrane na nich pieczątki.',
    },
    source: {
      en: 'Staff scanning your card at the counter, or your orders.',
      pl: 'Obsługa skanująca Twoją kartę przy ladzie albo Twoje zamówienia.',
    },
  },
  coupons: {
    title: { en: 'Coupons and gift cards', pl: 'Kupony i karty podarunkowe' },
    purpose: {
      en: 'Coupons made for you, gift cards you bought, and where they were used.',
      pl: 'Kupony utworzone dla Ciebie, kupione karty podarunkowe i miejsca ich użycia.',
    },
    source: {
      en: 'Made by the programme when you took a reward, or by the shop.',
      pl: 'Utworzone przez program przy odbiorze nagrody albo przez sklep.',
    },
  },
  referrals: {
    title: { en: 'Referrals', pl: 'Polecenia' },
    purpose: {
      en: 'Friends you recommended the shop to and who recommended it to you, the rewards for it, your own share messages, and the devices you were seen on (to keep referrals fair).',
      pl: 'Znajomi, którym poleciłeś sklep, i kto polecił go Tobie, nagrody za to, Twoje wiadomości do udostępniania oraz urządzenia, na których Cię widziano (by polecenia były uczciwe).',
    },
    source: {
      en: 'Your referral link and code, the friends who used them, and the browser that opened the link.',
      pl: 'Twój link i kod polecający, znajomi, którzy ich użyli, oraz przeglądarka, która otworzyła link.',
    },
  },
  consents: {
    title: { en: 'Consents', pl: 'Zgody' },
    purpose: {
      en: 'What you agreed to receive, and when and how you said so (proof of consent).',
      pl: 'Na co się zgodziłeś, kiedy i w jaki sposób (dowód zgody).',
    },
    source: {
      en: 'You, in a form, a pop-up, the customer portal, a message reply (STOP) or at the shop; your browser sent its address and name.',
      pl: 'Ty: w formularzu, okienku, portalu klienta, odpowiedzi na wiadomość (STOP) lub w sklepie; Twoja przeglądarka przesłała swój adres i nazwę.',
    },
  },
  messages: {
    title: { en: 'Messages', pl: 'Wiadomości' },
    purpose: {
      en: 'Messages sent to you, and whether they were delivered, opened or clicked.',
      pl: 'Wiadomości wysłane do Ciebie oraz to, czy dotarły, zostały otwarte lub kliknięte.',
    },
    source: {
      en: "Sent by the programme's flows and the shop; delivery reports from the e-mail and SMS providers.",
      pl: 'Wysłane przez automatyzacje programu i sklep; raporty doręczeń od dostawców e-maili i SMS-ów.',
    },
  },
  surveys: {
    title: { en: 'Surveys', pl: 'Ankiety' },
    purpose: {
      en: 'Surveys you were asked to answer and your answers.',
      pl: 'Ankiety, o których wypełnienie Cię poproszono, i Twoje odpowiedzi.',
    },
    source: { en: 'You, answering a survey.', pl: 'Ty, wypełniając ankietę.' },
  },
  reviews: {
    title: { en: 'Reviews', pl: 'Opinie' },
    purpose: {
      en: 'Reviews you were asked for and wrote (photos listed, not embedded).',
      pl: 'Opinie, o które Cię poproszono i które napisałeś (zdjęcia wymienione, bez treści).',
    },
    source: {
      en: 'You, writing a review; the shop, moderating and replying.',
      pl: 'Ty, pisząc opinię; sklep, moderując ją i odpowiadając.',
    },
  },
  'notes and tasks': {
    title: { en: 'Notes and tasks', pl: 'Notatki i zadania' },
    purpose: {
      en: "The shop staff's notes and follow-up tasks about you.",
      pl: 'Notatki obsługi sklepu i zadania do wykonania dotyczące Ciebie.',
    },
    source: { en: "The shop's staff.", pl: 'Obsługa sklepu.' },
  },
  visits: {
    title: { en: 'Activities', pl: 'Aktywności' },
    purpose: {
      en: 'What you did in the shop that the programme reacts to (visits, sign-ups, events).',
      pl: 'To, co robiłeś w sklepie, na co reaguje program (wizyty, zapisy, zdarzenia).',
    },
    source: {
      en: "The shop's website or till, reporting what you did.",
      pl: 'Strona lub kasa sklepu, zgłaszając Twoje działania.',
    },
  },
  'raw deliveries': {
    title: { en: 'Raw deliveries', pl: 'Surowe przesyłki danych' },
    purpose: {
      en: "The messages the shop's platform sent Lojal that name you, kept for a while to replay them if something went wrong; listed here, their contents are in the kinds above. Also earlier answers to data requests.",
      pl: 'Komunikaty platformy sklepu do Lojal, w których występujesz, przechowywane przez pewien czas, by móc je ponowić po błędzie; tu tylko wymienione, ich treść jest w powyższych rodzajach. Także wcześniejsze odpowiedzi na żądania dostępu do danych.',
    },
    source: {
      en: "The shop's platform (webhooks) or its API.",
      pl: 'Platforma sklepu (webhooki) lub jego API.',
    },
  },
};

/** The words around the summary. */
export const SUMMARY_TEXTS = {
  title: { en: 'Your personal data', pl: 'Twoje dane osobowe' },
  intro: {
    en: 'Everything the loyalty programme of {shop} (run on Lojal) holds about you, as of {date}, grouped by kind with why it is kept and where it came from (GDPR art. 15 and 20). The same data, complete and machine-readable, is in the JSON export.',
    pl: 'Wszystko, co program lojalnościowy sklepu {shop} (działający na Lojal) przechowuje o Tobie, według stanu na {date}, pogrupowane według rodzaju, z celem przetwarzania i źródłem (RODO art. 15 i 20). Te same dane, pełne i w formacie do odczytu maszynowego, zawiera eksport JSON.',
  },
  purpose: { en: 'Purpose', pl: 'Cel' },
  source: { en: 'Source', pl: 'Źródło' },
  nothing: { en: 'Nothing held.', pl: 'Brak danych.' },
  more: { en: '… and {n} more', pl: '… i {n} więcej' },
  records: {
    en: { one: 'record', other: 'records' },
    pl: { one: 'rekord', few: 'rekordy', many: 'rekordów', other: 'rekordu' },
  },
  customer: { en: 'Customer', pl: 'Klient' },
} as const;
