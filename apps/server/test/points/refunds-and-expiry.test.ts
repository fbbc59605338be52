import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { expirePoints } from '../../src/points/expire-points.ts';
import {
  call,
  checkLedgerInvariants,
  ledger,
  orderPaid,
  points,
  publish,
  refunded,
  send,
} from './support.ts';

const clock = fixedClock('2026-01-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

async function spend(customerId: string, pointsToTake: number) {
  const res = await call(t, shop, 'POST', `/v1/customers/${customerId}/adjustments`, {
    points: -pointsToTake,
    reason: 'spent at the till',
  });
  expect(res.statusCode, res.body).toBe(201);
}

describe('refunds and cancellations', () => {
  beforeAll(async () => {
    shop = await createTestShop(t, 'Sklep Zwroty');
  });

  it('cancels pending points when the order is cancelled inside the return window', async () => {
    clock.set('2026-01-01T10:00:00Z');
    await send(t, shop, orderPaid('o-c1', 'cancel-ala', '2026-01-01T10:00:00Z', { total: 20000 }));
    await send(t, shop, {
      type: 'order.cancelled',
      id: 'x-c1',
      occurredAt: '2026-01-03T10:00:00Z',
      data: { orderId: 'o-c1' },
    });
    expect(await points(t, shop, 'cancel-ala')).toMatchObject({
      available: 0,
      pending: 0,
      debt: 0,
    });
    const [reversal, earn] = await ledger(t, shop, 'cancel-ala');
    expect(reversal).toMatchObject({
      points: -200,
      kind: 'reverse',
      balanceAfter: 0,
      cause: {
        type: 'reversal',
        reversesEntryId: earn!.id,
        reason: 'cancellation',
        orderId: 'o-c1',
      },
    });
  });

  it('takes back a partial refund in proportion, and the rest at the full refund', async () => {
    await send(
      t,
      shop,
      orderPaid('o-p1', 'partial-basia', '2026-01-01T10:00:00Z', { total: 30000 }),
    );
    await send(t, shop, refunded('o-p1', 'rf-1', 10000, '2026-01-02T10:00:00Z'));
    expect((await points(t, shop, 'partial-basia')).pending).toBe(200);
    await send(
      t,
      shop,
      refunded('o-p1', 'rf-2', 10000, '2026-01-03T10:00:00Z'),
      refunded('o-p1', 'rf-3', 10000, '2026-01-04T10:00:00Z'),
    );
    // thirds of 300 points, and the last refund leaves nothing behind however it rounds
    expect((await points(t, shop, 'partial-basia')).pending).toBe(0);
    const reversals = (await ledger(t, shop, 'partial-basia')).filter((e) => e.kind === 'reverse');
    expect(reversals.map((e) => e.points)).toEqual([-100, -100, -100]);
    expect(reversals.map((e) => e.cause.refundId)).toEqual(['rf-3', 'rf-2', 'rf-1']);
  });

  it('after a partial spend, a partial refund leaves a recorded debt by default', async () => {
    clock.set('2026-01-01T10:00:00Z');
    await send(t, shop, orderPaid('o-d1', 'debt-celina', '2026-01-01T10:00:00Z', { total: 20000 }));
    clock.set('2026-01-16T10:00:00Z');
    await spend('debt-celina', 150); // 50 of the order's 200 points remain
    await send(t, shop, refunded('o-d1', 'rf-d1', 15000, '2026-01-17T10:00:00Z')); // 3/4 → 150 points back
    expect(await points(t, shop, 'debt-celina')).toMatchObject({ available: -100, debt: 100 });
    const [reversal] = await ledger(t, shop, 'debt-celina');
    expect(reversal).toMatchObject({ points: -150, balanceAfter: -100, cause: { absorbed: 0 } });
    // later earnings pay the debt first
    await send(t, shop, orderPaid('o-d2', 'debt-celina', '2026-01-18T10:00:00Z', { total: 30000 }));
    clock.set('2026-02-02T10:00:00Z');
    expect(await points(t, shop, 'debt-celina')).toMatchObject({ available: 200, debt: 0 });
    await checkLedgerInvariants(t, shop.id);
  });

  it('after a partial spend, a shop that absorbs the loss records what it absorbed', async () => {
    const absorbing = await createTestShop(t, 'Sklep Absorbujący');
    await publish(t, absorbing, {
      rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
      settings: { refundShortfall: 'absorb' },
    });
    clock.set('2026-01-01T10:00:00Z');
    await send(
      t,
      absorbing,
      orderPaid('o-a1', 'absorb-dana', '2026-01-01T10:00:00Z', { total: 20000 }),
    );
    clock.set('2026-01-16T10:00:00Z');
    const taken = await call(t, absorbing, 'POST', '/v1/customers/absorb-dana/adjustments', {
      points: -150,
      reason: 'spent',
    });
    expect(taken.statusCode).toBe(201);
    await send(t, absorbing, refunded('o-a1', 'rf-a1', 20000, '2026-01-17T10:00:00Z'));
    expect(await points(t, absorbing, 'absorb-dana')).toMatchObject({ available: 0, debt: 0 });
    const [reversal] = await ledger(t, absorbing, 'absorb-dana');
    expect(reversal).toMatchObject({
      points: -50,
      balanceAfter: 0,
      cause: { type: 'reversal', absorbed: 150 },
    });
    await checkLedgerInvariants(t, absorbing.id);
  });

  it('takes back a refund and a cancellation that arrived before the payment', async () => {
    const placed = (id: string, customer: string) => ({
      type: 'order.paid',
      id: `${id}-late`,
      occurredAt: '2026-01-08T10:00:00Z',
      data: {
        id,
        customer: { id: customer },
        currency: 'PLN',
        total: 20000,
        createdAt: '2026-01-08T09:00:00Z',
      },
    });
    // the refund reaches Lojal first and waits for its order; then the order is paid
    await send(t, shop, refunded('o-early', 'rf-early', 5000, '2026-01-08T09:30:00Z'));
    await send(t, shop, placed('o-early', 'early-hania'));
    expect((await points(t, shop, 'early-hania')).pending).toBe(150);
    // in one batch: cancellation, then the payment
    await send(t, shop, { type: 'order.cancelled', id: 'x-early2', data: { orderId: 'o-early2' } });
    await send(t, shop, placed('o-early2', 'early-igor'));
    expect(await points(t, shop, 'early-igor')).toMatchObject({ pending: 0, debt: 0 });
    await checkLedgerInvariants(t, shop.id);
  });

  it('takes back the points of a refunded order from the customer who earned them', async () => {
    await send(
      t,
      shop,
      orderPaid('o-moved', 'first-owner', '2026-01-08T10:00:00Z', { total: 10000 }),
    );
    await send(t, shop, {
      ...orderPaid('o-moved', 'second-owner', '2026-01-08T11:00:00Z', { total: 10000 }),
      id: 'o-moved-update',
    });
    await send(t, shop, refunded('o-moved', 'rf-moved', 10000, '2026-01-09T10:00:00Z'));
    expect(await points(t, shop, 'first-owner')).toMatchObject({ pending: 0, debt: 0 });
    const failed = await call(t, shop, 'GET', '/v1/events?status=failed');
    expect(failed.json().data).toEqual([]);
  });

  it('a refund after the rules changed reverses the original amount', async () => {
    clock.set('2026-01-05T10:00:00Z');
    await send(t, shop, orderPaid('o-r1', 'rules-ewa', '2026-01-05T10:00:00Z', { total: 10000 }));
    await publish(t, shop, { rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 5 } }] });
    await send(t, shop, orderPaid('o-r2', 'rules-ewa', '2026-01-06T10:00:00Z', { total: 10000 }));
    expect((await points(t, shop, 'rules-ewa')).pending).toBe(600);
    await send(t, shop, refunded('o-r1', 'rf-r1', 10000, '2026-01-07T10:00:00Z'));
    expect((await points(t, shop, 'rules-ewa')).pending).toBe(500);
    const entries = await ledger(t, shop, 'rules-ewa');
    expect(entries[0]).toMatchObject({ points: -100, cause: { orderId: 'o-r1' } });
    expect(
      entries.find((e) => e.cause.orderId === 'o-r1' && e.kind === 'earn')?.cause.rule,
    ).toMatchObject({ version: 1 });
    expect(entries.find((e) => e.cause.orderId === 'o-r2')?.cause.rule).toMatchObject({
      version: 2,
    });
  });
});

describe('expiry', () => {
  it('expires lots first in, first out: spending takes the oldest lot, expiry only what remains of each', async () => {
    const fifo = await createTestShop(t, 'Sklep FIFO');
    await publish(t, fifo, {
      rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
      settings: { expiryMonths: 1 },
    });
    clock.set('2026-01-01T10:00:00Z');
    await send(t, fifo, orderPaid('o-f1', 'fifo-gosia', '2026-01-01T10:00:00Z', { total: 10000 })); // available 15 Jan, expires 15 Feb
    await send(t, fifo, orderPaid('o-f2', 'fifo-gosia', '2026-01-10T10:00:00Z', { total: 5000 })); // available 24 Jan, expires 24 Feb
    clock.set('2026-01-25T10:00:00Z');
    const taken = await call(t, fifo, 'POST', '/v1/customers/fifo-gosia/adjustments', {
      points: -80,
      reason: 'till',
    });
    expect(taken.statusCode).toBe(201);
    expect(await points(t, fifo, 'fifo-gosia')).toMatchObject({
      available: 70,
      expiringSoon: [
        { points: 20, expiresAt: '2026-02-15T10:00:00.000Z' },
        { points: 50, expiresAt: '2026-02-24T10:00:00.000Z' },
      ],
    });

    clock.set('2026-02-15T10:00:00Z');
    expect((await points(t, fifo, 'fifo-gosia')).available).toBe(50); // reads leave the expired lot out at once
    expect(await expirePoints(t.db, clock)).toBe(1);
    expect(await expirePoints(t.db, clock)).toBe(0);
    const [expiry] = await ledger(t, fifo, 'fifo-gosia');
    expect(expiry).toMatchObject({
      points: -20,
      kind: 'expire',
      balanceAfter: 50,
      cause: { type: 'expiry' },
    });

    clock.set('2026-02-24T10:00:00Z');
    expect(await expirePoints(t.db, clock)).toBe(1);
    expect(await points(t, fifo, 'fifo-gosia')).toMatchObject({
      available: 0,
      pending: 0,
      lifetimeEarned: 150,
    });
    await checkLedgerInvariants(t, fifo.id);
  });

  it('refuses to take more points than are available, and changes nothing', async () => {
    const before = await ledger(t, shop, 'cancel-ala'); // 0 available after the cancellation
    const res = await call(t, shop, 'POST', '/v1/customers/cancel-ala/adjustments', {
      points: -1,
      reason: 'too much',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().type).toBe('/problems/insufficient-points');
    expect(await ledger(t, shop, 'cancel-ala')).toEqual(before);
  });

  it('records an adjustment with its reason and the API key that made it', async () => {
    const res = await call(t, shop, 'POST', '/v1/customers/rules-ewa/adjustments', {
      points: 40,
      reason: 'przeprosiny za opóźnienie',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      points: 40,
      kind: 'adjust',
      cause: {
        type: 'adjustment',
        reason: 'przeprosiny za opóźnienie',
        actor: `api_key:${shop.apiKeyId}`,
      },
    });
    expect(
      (
        await call(t, shop, 'POST', '/v1/customers/rules-ewa/adjustments', {
          points: 0,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await call(t, shop, 'POST', '/v1/customers/nobody/adjustments', { points: 5, reason: 'x' }))
        .statusCode,
    ).toBe(404);
  });
});
