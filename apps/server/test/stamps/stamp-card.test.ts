import { describe, expect, it } from 'vitest';
import { allowedToday, placeStamps, stampsForOrder } from '../../src/stamps/stamp-card.ts';
import { signQrPayload, verifyQrPayload } from '../../src/stamps/stamp-qr.ts';

describe('placing stamps', () => {
  it('fills the open card without completing it', () => {
    expect(placeStamps({ stamps: 2, required: 10 }, 3, 10)).toEqual([
      { card: 0, stamps: 3, completes: false },
    ]);
  });

  it('completes the card on the N-th stamp and carries the rest over to new cards', () => {
    expect(placeStamps({ stamps: 8, required: 10 }, 15, 5)).toEqual([
      { card: 0, stamps: 2, completes: true },
      { card: 1, stamps: 5, completes: true },
      { card: 2, stamps: 5, completes: true },
      { card: 3, stamps: 3, completes: false },
    ]);
  });

  it('places nothing for no stamps', () => {
    expect(placeStamps({ stamps: 0, required: 3 }, 0, 3)).toEqual([]);
  });
});

describe('the daily limit', () => {
  it('lets through only what is left of the day', () => {
    expect(allowedToday(3, 1, 2)).toBe(1);
    expect(allowedToday(3, 2, 2)).toBe(0);
    expect(allowedToday(3, 5, 2)).toBe(0);
    expect(allowedToday(3, 99, null)).toBe(3);
  });
});

describe('stamps earned by an order', () => {
  const order = {
    total: 5000,
    subtotal: null,
    shipping: 1000,
    tax: 0,
    lines: [
      { productId: 'latte', categoryIds: ['kawa'], quantity: 2 },
      { productId: 'espresso', categoryIds: ['kawa'], quantity: 1 },
      { productId: 'sernik', categoryIds: ['ciasta'], quantity: 4 },
    ],
  };
  const terms = { earnBy: 'product' as const, productIds: [], categoryIds: [], minOrder: null };

  it('counts units of listed products or categories, each line once', () => {
    expect(stampsForOrder({ ...terms, categoryIds: ['kawa'] }, order)).toBe(3);
    expect(stampsForOrder({ ...terms, productIds: ['sernik', 'latte'] }, order)).toBe(6);
    expect(stampsForOrder({ ...terms, productIds: ['latte'], categoryIds: ['kawa'] }, order)).toBe(
      3,
    );
  });

  it('gives one per order, and nothing below the minimum without shipping', () => {
    expect(stampsForOrder({ ...terms, earnBy: 'order' }, order)).toBe(1);
    expect(stampsForOrder({ ...terms, earnBy: 'order', minOrder: 4000 }, order)).toBe(1);
    expect(stampsForOrder({ ...terms, earnBy: 'order', minOrder: 4001 }, order)).toBe(0);
    expect(stampsForOrder({ ...terms, earnBy: 'visit' }, order)).toBe(0);
  });

  it('gives nothing for an order with nothing paid, such as a free reward at the counter', () => {
    const free = { total: 0, subtotal: null, shipping: null, tax: null, lines: [] };
    expect(stampsForOrder({ ...terms, earnBy: 'order' }, free)).toBe(0);
  });
});

describe('the QR payload', () => {
  const key = Buffer.alloc(32, 1);
  const now = new Date('2026-11-24T09:00:00Z');
  const shopId = 'shp_01jabcdefghjkmnpqrstvwxyz0';
  const customerId = 'cus_01jabcdefghjkmnpqrstvwxyz0';

  it('is compact, URL-safe, and verifies until it expires', () => {
    const { payload, expiresAt } = signQrPayload(key, shopId, customerId, now);
    expect(payload.length).toBeLessThan(160);
    expect(payload).toMatch(/^[\w.-]+$/);
    expect(expiresAt).toEqual(new Date('2026-11-24T09:03:00Z'));
    const ok = verifyQrPayload(key, payload, new Date('2026-11-24T09:02:59Z'));
    expect(ok).toMatchObject({ ok: true, claims: { shopId, customerId } });
    expect(verifyQrPayload(key, payload, expiresAt)).toEqual({ ok: false, reason: 'qr-expired' });
  });

  it("is refused under another shop's key, and an expired forgery says invalid, not expired", () => {
    const { payload } = signQrPayload(key, shopId, customerId, now);
    const other = Buffer.alloc(32, 2);
    expect(verifyQrPayload(other, payload, now)).toEqual({ ok: false, reason: 'qr-invalid' });
    expect(verifyQrPayload(other, payload, new Date('2027-01-01'))).toEqual({
      ok: false,
      reason: 'qr-invalid',
    });
  });

  it('gets a new nonce every time', () => {
    const a = signQrPayload(key, shopId, customerId, now);
    const b = signQrPayload(key, shopId, customerId, now);
    expect(a.nonce).not.toBe(b.nonce);
  });
});
