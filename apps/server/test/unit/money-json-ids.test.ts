import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyFormatError, currencyExponent, toMinorUnits } from '../../src/shared/money.ts';
import { idString, parseJsonLossless } from '../../src/shared/json.ts';
import { idMaker, idTime, newId } from '../../src/shared/ids.ts';

describe('toMinorUnits', () => {
  it.each([
    ['403.00', 'PLN', 40300],
    ['0.9', 'PLN', 90],
    ['.5', 'PLN', 50],
    ['7.', 'PLN', 700],
    [' 12.34 ', 'PLN', 1234],
    ['-10.00', 'PLN', -1000],
    ['500', 'JPY', 500],
    ['1.234', 'KWD', 1234],
    ['403.00', 'pln', 40300],
  ] as const)('reads %j %s as %i minor units', (value, currency, expected) => {
    expect(toMinorUnits(value, currency)).toBe(expected);
  });

  it.each([
    [12, 1200],
    [0, 0],
    [10, 1000],
    [100, 10000],
    [0.1, 10],
    [29.35, 2935],
    [-0.5, -50],
  ])('reads the number %d as %i minor units without floating-point error', (value, expected) => {
    expect(toMinorUnits(value, 'PLN')).toBe(expected);
  });

  it.each([
    ['1.005', 'PLN', 101],
    ['1.004', 'PLN', 100],
    ['1.0049', 'PLN', 100],
    ['-1.005', 'PLN', -101],
    ['500.5', 'JPY', 501],
    ['1.2345', 'KWD', 1235],
    ['-0.004', 'PLN', 0],
  ] as const)('rounds %j %s half away from zero to %i', (value, currency, expected) => {
    expect(toMinorUnits(value, currency)).toBe(expected);
  });

  it('rounds a number with more than six decimals only once', () => {
    expect(toMinorUnits(0.0049999999, 'PLN')).toBe(0);
  });

  it('never returns negative zero', () => {
    expect(Object.is(toMinorUnits('-0.00', 'PLN'), 0)).toBe(true);
    expect(Object.is(toMinorUnits('-0.001', 'PLN'), 0)).toBe(true);
  });

  it.each(['', ' ', '.', '-', 'abc', '1,00', '1.2.3', '+5', '1e3', '12 zł', '--1'])(
    'throws MoneyFormatError for %j',
    (garbage) => {
      expect(() => toMinorUnits(garbage, 'PLN')).toThrow(MoneyFormatError);
    },
  );

  it('throws MoneyFormatError for non-finite numbers and amounts too large to be exact', () => {
    expect(() => toMinorUnits(Number.NaN, 'PLN')).toThrow(MoneyFormatError);
    expect(() => toMinorUnits(Number.POSITIVE_INFINITY, 'PLN')).toThrow(MoneyFormatError);
    expect(() => toMinorUnits('90071992547409.93', 'PLN')).toThrow(MoneyFormatError);
  });

  it('matches exact decimal arithmetic for any amount, scale and currency', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom(['PLN', 2], ['JPY', 0], ['KWD', 3]),
        (units, scale, [currency, exponent]) => {
          // given the decimal text of units × 10^-scale, e.g. 12345n at scale 3 → "12.345"
          const negative = units < 0n;
          const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
          const text =
            (negative ? '-' : '') +
            (scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits);

          // then it reads as that amount in minor units, rounded half away from zero
          const magnitude = negative ? -units : units;
          let minor: bigint;
          if (scale <= exponent) minor = magnitude * 10n ** BigInt(exponent - scale);
          else {
            const divisor = 10n ** BigInt(scale - exponent);
            minor = magnitude / divisor + ((magnitude % divisor) * 2n >= divisor ? 1n : 0n);
          }
          const expected = negative && minor !== 0n ? -Number(minor) : Number(minor);
          expect(toMinorUnits(text, currency)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('knows the exponents of zero- and three-decimal currencies', () => {
    expect(currencyExponent('PLN')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('kwd')).toBe(3);
  });
});

describe('parseJsonLossless', () => {
  it('keeps an 18-digit integer exact as a string while ordinary numbers stay numbers', () => {
    // given a Shopify-like body where the id exceeds 2^53
    const text = '{"id":820982911946154508,"n":234,"price":403.5,"exp":1e3,"neg":-12,"t":true}';

    // when it is parsed
    const parsed = parseJsonLossless(text);

    // then the id keeps every digit, and nothing else changes
    expect(parsed).toEqual({
      id: '820982911946154508',
      n: 234,
      price: 403.5,
      exp: 1000,
      neg: -12,
      t: true,
    });
    // plain JSON.parse would have rounded it
    expect(String((JSON.parse(text) as { id: number }).id)).toBe('820982911946154500');
  });

  it('keeps long negative integers and integers inside arrays exact', () => {
    expect(parseJsonLossless('[-820982911946154508, 9007199254740993, 1]')).toEqual([
      '-820982911946154508',
      '9007199254740993',
      1,
    ]);
  });

  it('leaves the largest safe integer as a number', () => {
    expect(parseJsonLossless('{"n":9007199254740991}')).toEqual({ n: 9007199254740991 });
  });

  it('does not touch digits inside strings, even after escaped quotes and backslashes', () => {
    const text = '{"a":"x\\"820982911946154508","b":"\\\\","c":820982911946154508}';

    expect(parseJsonLossless(text)).toEqual({
      a: 'x"820982911946154508',
      b: '\\',
      c: '820982911946154508',
    });
  });

  it('leaves long decimals and exponents to the native parser', () => {
    expect(parseJsonLossless('[8.66550311766439e+17, 12345678901234567890.5]')).toEqual([
      8.66550311766439e17,
      Number('12345678901234567890.5'),
    ]);
  });

  it('reads any mix of big integers, strings and doubles as JSON.parse would, minus the loss', () => {
    const leaf = fc.oneof(
      fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
      fc.string(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(
        fc.array(leaf, { maxLength: 10 }),
        fc.constantFrom('', ' ', '\n  '),
        (leaves, ws) => {
          // given a JSON array of those values, written with some whitespace
          const literals = leaves.map((v) =>
            typeof v === 'bigint' ? v.toString() : JSON.stringify(v),
          );
          const text = `[${ws}${literals.join(`,${ws}`)}${ws}]`;

          // then integers beyond 2^53 come back as their exact digits, everything else as usual
          const expected = literals.map((literal) =>
            /^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))
              ? literal
              : (JSON.parse(literal) as unknown),
          );
          expect(parseJsonLossless(text)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects invalid JSON as JSON.parse does', () => {
    expect(() => parseJsonLossless('{"id": 820982911946154508')).toThrow(SyntaxError);
  });
});

describe('idString', () => {
  it.each([
    ['820982911946154508', '820982911946154508'],
    [727, '727'],
    [0, '0'],
    [820982911946154508n, '820982911946154508'],
    [1.5, '1.5'],
  ] as const)('turns %s into the string %s', (value, expected) => {
    expect(idString(value)).toBe(expected);
  });

  it('writes a large number as plain digits, never in exponent notation', () => {
    expect(idString(8.66550311766439e17)).toBe('866550311766439040');
  });

  it.each([null, undefined, '', Number.NaN, Number.POSITIVE_INFINITY, true, {}, []])(
    'gives null for %j, which is no id',
    (value) => {
      expect(idString(value)).toBeNull();
    },
  );
});

describe('newId', () => {
  it('gives the prefix, an underscore and 26 Crockford base32 characters', () => {
    const id = newId('cus');

    expect(id).toMatch(/^cus_[0-9abcdefghjkmnpqrstvwxyz]{26}$/);
  });

  it('makes 1,000 distinct ids in a row that sort in creation order', () => {
    const ids = Array.from({ length: 1000 }, () => newId('ord'));

    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps ids made within the same millisecond in creation order', () => {
    // given a clock that stands still
    const makeId = idMaker(() => 1_800_000_000_000);

    // when 1,000 ids are made at that one instant
    const ids = Array.from({ length: 1000 }, () => makeId('evt'));

    // then they still sort in the order they were made
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps ids increasing when the clock steps backwards', () => {
    let now = 1_800_000_120_000;
    const makeId = idMaker(() => now);
    const first = makeId('rfd');
    now -= 5_000;
    const second = makeId('rfd');

    expect(second > first).toBe(true);
  });

  it('starts with the time, so a later millisecond sorts after any earlier id', () => {
    let now = 1_800_000_180_000;
    const makeId = idMaker(() => now);
    const earlier = makeId('shp');
    now += 1;
    const later = makeId('shp');

    expect(later.slice(4, 14) > earlier.slice(4, 14)).toBe(true);
    expect(later > earlier).toBe(true);
    expect(idTime(earlier).getTime()).toBe(1_800_000_180_000);
    expect(idTime(later).getTime()).toBe(1_800_000_180_001);
  });

  it("stamps the process's ids with the server clock, whatever the time of day", () => {
    const before = Date.now();
    const id = newId('cus');

    expect(idTime(id).getTime()).toBeGreaterThanOrEqual(before);
    expect(idTime(id).getTime()).toBeLessThanOrEqual(Date.now());
  });
});
