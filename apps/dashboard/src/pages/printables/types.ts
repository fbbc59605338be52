/** The shapes of GET /v1/printables (docs/printables.md). */
export type PrintableKind = 'poster' | 'flyer' | 'table-tent' | 'loyalty-card' | 'referral-flyer';

export interface Printable {
  kind: PrintableKind;
  scope: 'shop' | 'customer';
  page: { widthMm: number; heightMm: number };
  qr: {
    sizeMm: number;
    quietZoneModules: number;
    errorCorrection: 'L' | 'M' | 'Q' | 'H';
    leadsTo: 'join' | 'card' | 'referral-link';
  };
}

export interface PrintableCatalogue {
  joinUrl: string;
  printables: Printable[];
}

export type PrintLanguage = 'pl' | 'en';
