// GSM 03.38: the basic character set (7 bits, one unit each) and the extension table, whose
// characters are sent as ESC + char and so take two units.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡' +
    'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

const LIMITS = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
} as const;

/**
 * How many SMS a text takes. One character outside GSM-7 (ą, ó, an emoji) sends the whole text
 * as UCS-2. Concatenated parts lose room to the UDH, and neither an ESC pair nor a surrogate
 * pair is split between parts, so a part may carry one unit less.
 */
export function countSmsSegments(text: string): SmsSegments {
  const gsmUnits = gsm7Units(text);
  const encoding = gsmUnits === null ? 'UCS-2' : 'GSM-7';
  // Each character's size in units: code points of 2 UTF-16 units (emoji) stay whole.
  const sizes =
    gsmUnits === null
      ? Array.from(text, (c) => c.length)
      : Array.from(text, (c) => (GSM_EXTENSION.has(c) ? 2 : 1));
  const units = sizes.reduce((a, b) => a + b, 0);
  const limit = LIMITS[encoding];
  if (units <= limit.single) return { encoding, units, segments: units === 0 ? 0 : 1 };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > limit.part) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments };
}

/** Whether every character of the text is in the GSM-7 alphabet (basic or extension). */
export function isGsm7(text: string): boolean {
  return gsm7Units(text) !== null;
}

function gsm7Units(text: string): number | null {
  let units = 0;
  for (const c of text) {
    if (GSM_BASIC.has(c)) units += 1;
    else if (GSM_EXTENSION.has(c)) units += 2;
    else return null;
  }
  return units;
}

const REPLACEMENTS: Record<string, string> = {
  ą: 'a',
  ć: 'c',
  ę: 'e',
  ł: 'l',
  ń: 'n',
  ó: 'o',
  ś: 's',
  ź: 'z',
  ż: 'z',
  Ą: 'A',
  Ć: 'C',
  Ę: 'E',
  Ł: 'L',
  Ń: 'N',
  Ó: 'O',
  Ś: 'S',
  Ź: 'Z',
  Ż: 'Z',
  // Typography that Polish text carries and that would also force UCS-2.
  '„': '"',
  '”': '"',
  '“': '"',
  '‘': "'",
  '’': "'",
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
  '\u202f': ' ',
};

/**
 * The text with Polish letters written without diacritics (ą→a, ł→l, Ż→Z) and typographic quotes
 * and dashes made plain, so it fits GSM-7: 160 characters per SMS instead of 70. Opt-in, since
 * it reads worse.
 */
export function toGsm7Transliteration(text: string): string {
  return text.replace(/[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„”“‘’–—…\u00a0\u202f]/g, (c) => REPLACEMENTS[c]!);
}
