import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Characters people write phone numbers with; anything else makes the value no number. */
const PHONE_CHARACTERS = /^[+\d\s\-()./]+$/;

/**
 * A phone number in E.164 (+48600100200), read as a person of `region` writes it ("600 100 200",
 * "+48 600-100-200", "0048600100200"); null when it is no valid number there. SMS gateways take
 * E.164 only: Twilio refuses "600 100 200" for good.
 */
export function toE164(phone: string, region: CountryCode | undefined): string | null {
  if (!PHONE_CHARACTERS.test(phone)) return null;
  const parsed = parsePhoneNumberFromString(phone, region);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * The forms a stored E.164 number was likely sent in (+48600100200, 600100200, 600 100 200,
 * +48 600 100 200), to find it in raw deliveries on erasure; the digits alone also match
 * 0048600100200. A value that is no E.164 number is its only form.
 */
export function phoneForms(stored: string): string[] {
  const parsed = stored.startsWith('+') ? parsePhoneNumberFromString(stored) : undefined;
  if (!parsed) return [stored];
  return [
    ...new Set([
      stored,
      parsed.nationalNumber,
      parsed.formatNational(),
      parsed.formatInternational(),
    ]),
  ];
}

// Currencies of one country, and the time zones of the countries Lojal's shops sell in. A euro
// shop is placed by its time zone; "en" says nothing about a country.
const CURRENCY_REGIONS: Record<string, CountryCode> = {
  PLN: 'PL',
  CZK: 'CZ',
  HUF: 'HU',
  RON: 'RO',
  BGN: 'BG',
  SEK: 'SE',
  NOK: 'NO',
  DKK: 'DK',
  ISK: 'IS',
  CHF: 'CH',
  GBP: 'GB',
  UAH: 'UA',
  TRY: 'TR',
  USD: 'US',
  CAD: 'CA',
  AUD: 'AU',
  NZD: 'NZ',
  JPY: 'JP',
};
const TIME_ZONE_REGIONS: Record<string, CountryCode> = {
  'Europe/Warsaw': 'PL',
  'Europe/Berlin': 'DE',
  'Europe/Vienna': 'AT',
  'Europe/Prague': 'CZ',
  'Europe/Bratislava': 'SK',
  'Europe/Budapest': 'HU',
  'Europe/Vilnius': 'LT',
  'Europe/Riga': 'LV',
  'Europe/Tallinn': 'EE',
  'Europe/Helsinki': 'FI',
  'Europe/Paris': 'FR',
  'Europe/Brussels': 'BE',
  'Europe/Amsterdam': 'NL',
  'Europe/Luxembourg': 'LU',
  'Europe/Madrid': 'ES',
  'Europe/Lisbon': 'PT',
  'Europe/Rome': 'IT',
  'Europe/Athens': 'GR',
  'Europe/Dublin': 'IE',
  'Europe/Ljubljana': 'SI',
  'Europe/Zagreb': 'HR',
  'Europe/London': 'GB',
  'Europe/Kyiv': 'UA',
  'Europe/Kiev': 'UA',
};
const LANGUAGE_REGIONS: Record<string, CountryCode> = { pl: 'PL', cs: 'CZ', de: 'DE', sk: 'SK' };

/**
 * The region a shop's customers write local numbers for. Shops have no country, so: the
 * locale's region when it names one (pl-PL), a currency used by one country (PLN → PL), the
 * time zone (Europe/Warsaw → PL, how a euro shop is placed), then the language (pl → PL).
 * Undefined when nothing says (an "en" shop in euro on UTC): only +… numbers are read then.
 */
export function phoneRegionOf(shop: {
  locale: string;
  currency: string;
  timezone: string;
}): CountryCode | undefined {
  const [language, region] = shop.locale.split(/[-_]/);
  if (region && /^[A-Za-z]{2}$/.test(region)) return region.toUpperCase() as CountryCode;
  return (
    CURRENCY_REGIONS[shop.currency] ??
    TIME_ZONE_REGIONS[shop.timezone] ??
    LANGUAGE_REGIONS[language!.toLowerCase()]
  );
}
