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
