import { describe, expect, it } from 'vitest';
import { CHECKOUT_SEGMENTS, isCheckoutPath } from '../../src/popups/checkout-paths.ts';
import * as widget from '../../../widget/src/popups/checkout-paths.ts';
import { pageAllowed, pathMatches } from '../../src/popups/page-rules.ts';
import { assignVariant } from '../../src/popups/assign-variant.ts';
import { twoProportionZTest } from '../../src/popups/popup-results.ts';

const content = { pl: { title: 'T', body: '', consentText: 'Z', button: 'B' } };

describe('checkout pages', () => {
  it('are the same list on the server and in the widget', () => {
    expect(widget.CHECKOUT_SEGMENTS).toEqual(CHECKOUT_SEGMENTS);
  });

  it.each([
    '/cart',
    '/koszyk/',
    '/checkout',
    '/checkouts/cn/Z2NwLWV1cm9wZS13ZXN0NDowMUg?locale=pl',
    '/zamowienie',
    '/zam%C3%B3wienie',
    '/pl/basket',
    '/basketedit.php',
    '/order1.php?ticket=1',
    '/checkout/order-received/123/?key=wc_order_1',
    '/PLATNOSC',
    '/płatność/blik',
    '/thank-you',
  ])('%s is a checkout page, on server and widget', (path) => {
    expect(isCheckoutPath(path)).toBe(true);
    expect(widget.isCheckoutPath(path)).toBe(true);
  });

  it.each([
    '/',
    '/kawa/etiopia',
    '/blog/jak-parzyc-w-kemeksie',
    '/cartoon',
    '/konto/zamowienia-historia',
    '/?q=koszyk',
  ])('%s is not', (path) => {
    expect(isCheckoutPath(path)).toBe(false);
    expect(widget.isCheckoutPath(path)).toBe(false);
  });
});

describe('page rules', () => {
  it('match paths with * for any characters, without the query, ignoring case', () => {
    expect(pathMatches('/produkt/*', '/produkt/kawa')).toBe(true);
    expect(pathMatches('/produkt/*', '/produkty/kawa')).toBe(false);
    expect(pathMatches('/blog', '/Blog')).toBe(true);
    expect(pathMatches('/a.b', '/axb')).toBe(false);
    expect(pageAllowed({ include: ['/produkt/*'], exclude: [] }, '/produkt/kawa?utm=1')).toBe(true);
    expect(pageAllowed({ include: [], exclude: ['/blog/*'] }, '/blog/x')).toBe(false);
    expect(pageAllowed({ include: [], exclude: [] }, '/cokolwiek')).toBe(true);
  });
});

describe('variant assignment', () => {
  it('is stable per visitor and follows the weights', () => {
    const variants = [
      { id: 'a', weight: 3, content },
      { id: 'b', weight: 1, content },
      { id: 'c', weight: 0, content },
    ];
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 4000; i++) {
      const v = assignVariant('pop_1', `visitor-${i}`, variants)!;
      expect(assignVariant('pop_1', `visitor-${i}`, variants)!.id).toBe(v.id);
      counts[v.id]!++;
    }
    expect(counts.c).toBe(0);
    // 3:1 of 4000: 3000 ± 4.4 standard deviations (27.4 each).
    expect(counts.a).toBeGreaterThan(2880);
    expect(counts.a).toBeLessThan(3120);
    expect(assignVariant('pop_1', 'v', [{ id: 'a', weight: 0, content }])).toBeNull();
  });
});

describe('two-proportion z-test', () => {
  it('matches the textbook values', () => {
    // 45/100 against 30/100: pooled 0.375, se 0.06847, z 2.1909, p 0.02846.
    const r = twoProportionZTest(45, 100, 30, 100)!;
    expect(r.z).toBeCloseTo(2.1909, 3);
    expect(r.pValue).toBeCloseTo(0.0285, 3);
    expect(twoProportionZTest(30, 100, 45, 100)!.z).toBeCloseTo(-2.1909, 3);
    expect(twoProportionZTest(0, 10, 0, 10)).toBeNull();
    expect(twoProportionZTest(1, 0, 1, 10)).toBeNull();
  });
});
