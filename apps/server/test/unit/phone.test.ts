import { describe, expect, it } from 'vitest';
import { phoneRegionOf, toE164 } from '../../src/shared/phone.ts';

describe('phones in E.164', () => {
  it.each(['600 100 200', '+48 600-100-200', '0048600100200', '600-100-200', '(+48) 600 100 200'])(
    'reads %s in a Polish shop as +48600100200',
    (phone) => {
      expect(toE164(phone, 'PL')).toBe('+48600100200');
    },
  );

  it('keeps an international number of another country', () => {
    expect(toE164('+44 20 7946 0958', 'PL')).toBe('+442079460958');
    expect(toE164('+48 600 100 200', undefined)).toBe('+48600100200');
  });

  it.each(['abc', '123', 'zadzwoń 600 100 200', '600 100 200 wew. 12', '600100200x', '+48 600'])(
    'finds no number in %s',
    (phone) => {
      expect(toE164(phone, 'PL')).toBeNull();
    },
  );

  it('needs a region for a local number', () => {
    expect(toE164('600 100 200', undefined)).toBeNull();
  });
});

describe("a shop's phone region", () => {
  it('comes from the locale, the currency of one country, the time zone, then the language', () => {
    const shop = { locale: 'pl', currency: 'PLN', timezone: 'Europe/Warsaw' };
    expect(phoneRegionOf(shop)).toBe('PL');
    expect(phoneRegionOf({ ...shop, locale: 'en', timezone: 'UTC' })).toBe('PL'); // PLN
    expect(phoneRegionOf({ ...shop, locale: 'de-AT', currency: 'EUR' })).toBe('AT');
    expect(phoneRegionOf({ locale: 'en', currency: 'EUR', timezone: 'Europe/Berlin' })).toBe('DE');
    expect(phoneRegionOf({ locale: 'pl', currency: 'EUR', timezone: 'UTC' })).toBe('PL');
    expect(phoneRegionOf({ locale: 'en', currency: 'EUR', timezone: 'UTC' })).toBeUndefined();
  });
});
