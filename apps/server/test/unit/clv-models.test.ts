import { describe, expect, it } from 'vitest';
import {
  bgNbdExpectedPurchases,
  bgNbdProbabilityAlive,
  fitGammaGamma,
  gammaGammaExpectedSpend,
} from '../../src/analytics/clv-models.ts';
import { hypergeometric2F1, lnGamma } from '../../src/analytics/special-functions.ts';

const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD predictions', () => {
  it('expects 1.226 purchases in 39 weeks from a CDNOW customer with x = 2, t_x = 30.43, T = 38.86', () => {
    // the worked example of Fader & Hardie's note on computing conditional expectations
    expect(bgNbdExpectedPurchases(CDNOW, { x: 2, tX: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
  });

  it('gives a customer who bought recently a higher chance of being alive than one who stopped', () => {
    const recent = bgNbdProbabilityAlive(CDNOW, { x: 2, tX: 38, T: 38.86 });
    const lapsed = bgNbdProbabilityAlive(CDNOW, { x: 2, tX: 5, T: 38.86 });
    expect(recent).toBeGreaterThan(lapsed);
    expect(bgNbdProbabilityAlive(CDNOW, { x: 0, tX: 0, T: 38.86 })).toBe(1);
  });
});

describe('special functions', () => {
  it('computes ln Γ exactly where the answer is known', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('computes 2F1 where it has a closed form: 2F1(1, 1; 2; z) = −ln(1 − z) / z', () => {
    expect(hypergeometric2F1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
  });
});

describe('edge cases of the CLV models', () => {
  it('gives a finite expectation at a = 1, where the formula divides by a − 1', () => {
    const value = bgNbdExpectedPurchases(
      { r: 0.5, alpha: 5, a: 1, b: 2 },
      { x: 2, tX: 10, T: 20 },
      52,
    );
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeCloseTo(
      bgNbdExpectedPurchases({ r: 0.5, alpha: 5, a: 1 + 1e-6, b: 2 }, { x: 2, tX: 10, T: 20 }, 52),
      4,
    );
  });

  it('keeps q above 1 so that expected spend stays positive, even for wildly spread spending', () => {
    const customers = Array.from({ length: 200 }, (_, i) => ({
      x: 1 + (i % 3),
      zbar: i % 2 === 0 ? 1 : 30_000,
    }));
    const fit = fitGammaGamma(customers)!;
    expect(fit.q).toBeGreaterThan(1);
    expect(gammaGammaExpectedSpend(fit, 0, 0)).toBeGreaterThan(0);
  });
});

describe('BG/NBD predictions for very frequent buyers', () => {
  const FITTED = { r: 1.5, alpha: 20, a: 2.5, b: 8 };
  // A customer who bought in every one of 104 weeks' days up to today (t_x = T).
  const frequent = (x: number) => ({ x, tX: 104, T: 104 });
  // No death at all: the most the customer can be expected to buy, (r + x) / (α + T) a week.
  const neverDies = (p: typeof CDNOW, x: number, t: number) => ((p.r + x) / (p.alpha + 104)) * t;

  it.each([1500, 5000, 50_000])('gives a finite, sensible expectation at %i purchases', (x) => {
    for (const params of [CDNOW, FITTED]) {
      const value = bgNbdExpectedPurchases(params, frequent(x), 52);
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeLessThanOrEqual(neverDies(params, x, 52));
      // alive almost surely today; each purchase ahead may be the last, with chance ≈ a / (b + x),
      // over ≈ x / 2 purchases in the year: the bound times (1 − e^(−a/2)) / (a/2), 0.82 or 0.57
      expect(value).toBeGreaterThan(0.5 * neverDies(params, x, 52));
    }
  });

  it('grows with the number of purchases, from 1 to 50,000', () => {
    for (const params of [CDNOW, FITTED]) {
      const xs = [1, 2, 5, 10, 100, 1000, 1400, 1500, 1501, 2000, 5000, 10_000, 50_000];
      const values = xs.map((x) => bgNbdExpectedPurchases(params, frequent(x), 52));
      for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]!);
    }
  });

  it('gives the same results as before for ordinary customers', () => {
    // values of the series as first written (direct 2F1), to 10 significant digits
    const known: Array<[typeof CDNOW, { x: number; tX: number; T: number }, number]> = [
      [CDNOW, { x: 0, tX: 0, T: 10 }, 0.6264375051577097],
      [CDNOW, { x: 1, tX: 5, T: 30 }, 0.5614793878472321],
      [CDNOW, { x: 3, tX: 20, T: 40 }, 1.3253052165825938],
      [CDNOW, { x: 10, tX: 50, T: 52 }, 6.7346222936672975],
      [CDNOW, { x: 40, tX: 100, T: 104 }, 15.208175668972276],
      [CDNOW, { x: 1000, tX: 104, T: 104 }, 408.01479179043434],
      [FITTED, { x: 0, tX: 0, T: 10 }, 1.7527102741275704],
      [FITTED, { x: 1, tX: 5, T: 30 }, 0.6785323402364405],
      [FITTED, { x: 3, tX: 20, T: 40 }, 1.0631198018310895],
      [FITTED, { x: 10, tX: 50, T: 52 }, 4.421859994678453],
      [FITTED, { x: 40, tX: 100, T: 104 }, 9.928876085781884],
    ];
    for (const [params, history, value] of known) {
      const now = bgNbdExpectedPurchases(params, history, 52);
      expect(Math.abs(now - value) / value).toBeLessThan(1e-10);
    }
  });

  it('gives a lapsed frequent buyer a small but finite expectation', () => {
    const value = bgNbdExpectedPurchases(CDNOW, { x: 5000, tX: 50, T: 104 }, 52);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThan(1e-6);
    expect(bgNbdProbabilityAlive(CDNOW, { x: 5000, tX: 50, T: 104 })).toBeLessThan(1e-6);
  });

  it('stays finite for a fit with almost no dropout (a and b in the millions), as the paper’s form gives', () => {
    // A real fit of a small shop whose customers all kept buying: the transformed series
    // overflows here, so the paper's own form must be used.
    const params = {
      r: 0.5363513941352345,
      alpha: 4.788912738923904,
      a: 2893328.55,
      b: 27453719.77,
    };
    for (const history of [
      { x: 0, tX: 0, T: 77.4 },
      { x: 5, tX: 45, T: 77.42857142857143 },
      { x: 50, tX: 70, T: 77.4 },
    ]) {
      const { r, alpha, a, b } = params;
      const { x, tX, T } = history;
      const t = 52;
      const z = t / (alpha + T + t);
      const growth =
        1 -
        Math.pow((alpha + T) / (alpha + T + t), r + x) *
          hypergeometric2F1(r + x, b + x, a + b + x - 1, z);
      const paper =
        (((a + b + x - 1) / (a - 1)) * growth) /
        (1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tX), r + x) : 0));
      const value = bgNbdExpectedPurchases(params, history, t);
      expect(Number.isFinite(value), JSON.stringify(history)).toBe(true);
      expect(Math.abs(value - paper) / paper).toBeLessThan(1e-9);
    }
  });
});
