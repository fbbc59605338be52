import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { orderPaid, send } from '../points/support.ts';

// Erasing a customer from the dashboard (or an integration): stored as a `customer.erased`
// event and applied by the same redaction as Shopify's customers/redact.
const clock = fixedClock('2026-12-06T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let ownerCookie: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Zapominający');
  await send(
    t,
    shop,
    orderPaid(
      'o-1',
      { id: 'ewa-9', email: 'ewa@example.pl', firstName: 'Ewa', phone: '+48600100200' },
      '2026-12-01T10:00:00Z',
      { total: 10_000 },
    ),
    orderPaid('o-2', { id: 'jan', email: 'jan@example.pl' }, '2026-12-01T11:00:00Z', {
      total: 5_000,
    }),
  );
  const owner = await createMember(t, shop.id, 'owner');
  ownerCookie = await signIn(t, owner.email);
});
afterAll(() => t.close());

async function customerRow(externalId: string) {
  return t.db
    .selectFrom('customers')
    .select(['email', 'phone', 'first_name', 'redacted_at'])
    .where('shop_id', '=', shop.id)
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
}

describe('POST /v1/customers/:customerId/erasure', () => {
  it("erases the customer's personal data once applied, keeps the orders, and logs who and why", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/customers/ewa-9/erasure',
      headers: asMember(ownerCookie, shop.id),
      payload: { reason: 'prośba klientki e-mailem 3 grudnia' },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ id: expect.any(String), status: 'accepted' });
    await t.processor.drain();

    expect(await customerRow('ewa-9')).toMatchObject({
      email: null,
      phone: null,
      first_name: null,
      redacted_at: expect.any(Date),
    });
    const orders = await t.db
      .selectFrom('orders')
      .select(['external_id', 'email'])
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'o-1')
      .execute();
    expect(orders).toEqual([{ external_id: 'o-1', email: null }]);
    const event = await t.app.inject({
      method: 'GET',
      url: `/v1/events/${res.json().id}`,
      headers: bearer(shop.apiKey),
    });
    expect(event.json().status).toBe('processed');
    // The raw log keeps no trace of the e-mail.
    const raw = await t.db
      .selectFrom('inbound_events')
      .select('body')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(raw.some((r) => r.body.toString('utf8').includes('ewa@example.pl'))).toBe(false);

    const log = await t.app.inject({
      method: 'GET',
      url: '/v1/audit-log?action=POST%20/v1/customers/:customerId/erasure',
      headers: bearer(shop.apiKey),
    });
    expect(log.json().data).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ type: 'user' }),
        target: { type: 'customers', id: 'ewa-9' },
        after: expect.objectContaining({ reason: 'prośba klientki e-mailem 3 grudnia' }),
      }),
    ]);
    // The other customer is untouched.
    expect((await customerRow('jan')).email).toBe('jan@example.pl');
  });

  it('refuses a marketer (403), a missing reason (400), an unknown or foreign customer (404), and changes nothing', async () => {
    const marketer = await createMember(t, shop.id, 'marketer');
    const cookie = await signIn(t, marketer.email);
    const erase = (headers: Record<string, string>, payload: object, id = 'jan') =>
      t.app.inject({ method: 'POST', url: `/v1/customers/${id}/erasure`, headers, payload });
    expectProblem(await erase(asMember(cookie, shop.id), { reason: 'bo tak' }), 403);
    const missing = await erase(asMember(ownerCookie, shop.id), {});
    expectProblem(missing, 400);
    expect(missing.json().errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    expectProblem(await erase(asMember(ownerCookie, shop.id), { reason: 'prośba' }, 'nikt'), 404);
    const other = await createTestShop(t, 'Inny Sklep');
    expectProblem(await erase(bearer(other.apiKey), { reason: 'prośba' }), 404);
    await t.processor.drain();
    expect((await customerRow('jan')).email).toBe('jan@example.pl');
  });

  it('is not an event integrations may send: the route asks for a reason and logs who asked', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(shop.apiKey),
      payload: { type: 'customer.erased', data: { id: 'jan' } },
    });
    expectProblem(res, 400);
    await t.processor.drain();
    expect((await customerRow('jan')).email).toBe('jan@example.pl');
  });
});
