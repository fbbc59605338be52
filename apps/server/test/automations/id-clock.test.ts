import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { recordTrigger } from '../../src/events/record-trigger.ts';
import { recordConsent } from '../../src/automations/consent.ts';
import { idTime, newId } from '../../src/shared/ids.ts';
import { addCustomer } from '../messaging-api/support.ts';

// Audit M1: callers passed client times (an event's occurredAt, a consent's `at`) to newId,
// and one id dated 9999 stamped every later id of the process, for every shop, with 9999.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the id clock', () => {
  it("stays on the server's time after triggers and consents dated in the year 9999 are recorded", async () => {
    const shop = await createTestShop(t);
    const customer = await addCustomer(t, shop, { id: 'zenon' });
    const future = new Date('9999-12-31T23:59:59Z');

    await recordTrigger(t.db, {
      shopId: shop.id,
      customerId: customer.id,
      type: 'custom.visit',
      at: future,
    });
    const { eventId } = await recordConsent(t.db, t.clock, {
      shopId: shop.id,
      customerId: customer.id,
      channel: 'push',
      purpose: 'feedback',
      granted: true,
      source: 'api',
      at: future,
    });
    const next = newId('not');

    const trigger = await t.db
      .selectFrom('automation_triggers')
      .select(['id', 'occurred_at'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(trigger.occurred_at).toEqual(future); // the fact keeps its own time, in its column
    for (const id of [trigger.id, eventId, next]) {
      expect(idTime(id).getTime(), id).toBeLessThanOrEqual(Date.now());
      expect(idTime(id).getTime(), id).toBeGreaterThan(Date.now() - 60_000);
    }
  });
});
