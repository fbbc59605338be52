import { Problem } from '../shared/errors.ts';

export type StampRefusal =
  | 'qr-invalid'
  | 'qr-expired'
  | 'qr-used'
  | 'daily-limit-reached'
  | 'programme-required'
  | 'programme-inactive'
  | 'manager-only';

const texts: Record<StampRefusal, { title: string; pl: string; en: string; status?: number }> = {
  'qr-invalid': {
    title: 'Invalid QR code',
    pl: 'Ten kod QR nie jest kodem karty z pieczątkami tego sklepu.',
    en: "This QR code is not one of this shop's stamp card codes.",
  },
  'qr-expired': {
    title: 'QR code expired',
    pl: 'Kod QR wygasł. Poproś klienta o odświeżenie kodu w aplikacji.',
    en: 'The QR code has expired. Ask the customer to refresh it in the app.',
  },
  'qr-used': {
    title: 'QR code already used',
    pl: 'Ten kod QR został już zeskanowany. Poproś klienta o nowy kod.',
    en: 'This QR code has already been scanned. Ask the customer for a new one.',
  },
  'daily-limit-reached': {
    title: 'Daily limit reached',
    pl: 'Klient otrzymał już dziś maksymalną liczbę pieczątek na tej karcie.',
    en: 'The customer has already had the most stamps allowed today on this card.',
  },
  'programme-required': {
    title: 'Choose a stamp card',
    pl: 'Sklep ma kilka kart z pieczątkami za wizytę: wybierz, którą ostemplować.',
    en: 'The shop has several visit stamp cards: choose which one to stamp.',
  },
  'programme-inactive': {
    title: 'Stamp card not active',
    pl: 'Ta karta z pieczątkami nie jest aktywna albo nie zbiera pieczątek za wizytę.',
    en: 'This stamp card is not active or does not collect stamps for visits.',
  },
  'manager-only': {
    title: "Needs a manager's device",
    pl: 'Tylko urządzenie kierownika może to zrobić. Poproś kierownika.',
    en: "Only a manager's device may do this. Ask a manager.",
    status: 403,
  },
};

/** A refusal the barista reads: problem+json with the reason in Polish and English. */
export class StampProblem extends Problem {
  readonly messages: { pl: string; en: string };

  constructor(code: StampRefusal, detail?: string) {
    const text = texts[code];
    super(text.status ?? 422, code, text.title, detail ?? text.en);
    this.messages = { pl: text.pl, en: text.en };
  }

  override toJSON() {
    return { ...super.toJSON(), messages: this.messages };
  }
}
