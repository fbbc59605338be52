import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { sizeForPass } from '../support/repeat-pass.ts';
import { call, checkLedgerInvariants, orderPaid, send } from '../points/support.ts';
import { campaign, codeOf } from '../referrals/support.ts';
import { messageGates } from '../../src/automations/message-gates.ts';
import type { MessagingSettings } from '../../src/automations/messaging-settings.ts';

// RODO art. 17 over random customer histories: after erasure no personal datum of the person
// is left in any text, JSON or binary column of any table, while the ledger, the orders'
// amounts and the analytics totals stay as they were, another customer keeps everything, and
// the phone stays suppressed (an SMS STOP outlives the person, as a salted hash).
const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let columns: Array<{ table_name: string; column_name: string; data_type: string }>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  ({ rows: columns } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema
      AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
    WHERE c.table_schema = 'public'
      AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'inet')
    ORDER BY 1, 2`.execute(t.db));
});
afterAll(() => t.close());

const FIRST = ['Ziutka', 'Bogumila', 'Wieslawa', 'Kazimiera', 'Genowefa'];
const LAST = ['Przybylska', 'Wronecka', 'Zgorzelska', 'Kwiatkowska'];
const STREETS = ['Ogrodowa', 'Kasztanowa', 'Lipowa'];

const history = fc.record({
  first: fc.constantFrom(...FIRST),
  last: fc.constantFrom(...LAST),
  street: fc.constantFrom(...STREETS),
  phoneTail: fc.integer({ min: 100_000, max: 999_999 }),
  ip: fc.integer({ min: 2, max: 250 }),
  orders: fc.array(fc.integer({ min: 100, max: 50_000 }), { minLength: 1, maxLength: 3 }),
  refund: fc.boolean(),
  refersFriend: fc.boolean(),
  wasReferred: fc.boolean(),
  note: fc.boolean(),
  task: fc.boolean(),
  review: fc.boolean(),
  survey: fc.boolean(),
  message: fc.boolean(),
  consent: fc.boolean(),
  stop: fc.boolean(),
  visit: fc.boolean(),
  sighting: fc.boolean(),
});

type History = typeof history extends fc.Arbitrary<infer T> ? T : never;
let run = 0;

/** A letter tag per run, so each run's names and phrases are its own. */
const tag = (n: number) =>
  String.fromCharCode(97 + (n % 26)) + String.fromCharCode(97 + Math.floor(n / 26));

async function build(h: History, n: number) {
  const shop = await createTestShop(t, `Sklep ${n}`);
  const me = `cust-${n}`;
  const first = `${h.first}${tag(n)}`;
  const person = {
    first,
    last: `${h.last}${tag(n)}`,
    email: `${first.toLowerCase()}.${n}@poczta.example`,
    phone: `+48600${h.phoneTail}`,
    national: `600${h.phoneTail}`,
    street: `ul. ${h.street} ${n}${tag(n)}`,
    ip: `198.51.${n}.${h.ip}`,
    ua: `UA-${first}-${n}`,
    note: `notatka o ${first}: woli kawe bez cukru`,
    task: `zadzwon do ${first} w sprawie reklamacji`,
    review: `recenzja ${first}: kawa swietna`,
    survey: `ankieta ${first}: za drogo`,
    message: `Czesc ${first}, mamy dla Ciebie kupon`,
  };
  const other = { id: `other-${n}`, email: `inny.${n}@poczta.example`, first: `Inny${tag(n)}` };
  await campaign(t, shop, {
    lead: { referrer: { kind: 'points', points: 10 } },
    main: { referrer: { kind: 'points', points: 100 } },
    attributionWindowDays: 30,
  });
  const customer = {
    id: me,
    email: person.email,
    phone: person.phone,
    firstName: person.first,
    lastName: person.last,
    birthday: '1990-05-17',
  };
  await send(
    t,
    shop,
    ...h.orders.map((total, i) => ({
      ...orderPaid(`o-${n}-${i}`, customer, `2026-12-0${i + 1}T10:00:00Z`, { total }),
      data: {
        ...orderPaid(`o-${n}-${i}`, customer, `2026-12-0${i + 1}T10:00:00Z`, { total }).data,
        shippingAddress: {
          line1: person.street,
          city: 'Gniezno',
          postalCode: '62-200',
          country: 'PL',
        },
      },
    })),
    orderPaid(
      `p-${n}`,
      { id: other.id, email: other.email, firstName: other.first },
      '2026-12-01T12:00:00Z',
      {
        total: 777,
      },
    ),
  );
  if (h.refund) {
    await send(t, shop, {
      type: 'order.refunded',
      id: `r-${n}`,
      occurredAt: '2026-12-05T10:00:00Z',
      data: { orderId: `o-${n}-0`, refundId: `r-${n}`, amount: 50, currency: 'PLN' },
    });
  }
  const myCode = await codeOf(t, shop, me);
  if (h.refersFriend) {
    await send(t, shop, { type: 'customer.created', id: `f-${n}`, data: { id: `friend-${n}` } });
    const res = await call(t, shop, 'POST', '/v1/referrals/attributions', {
      customerId: `friend-${n}`,
      code: myCode,
      // The friend's own device, not the person's.
      client: { address: `192.0.2.${n}`, userAgent: `UA-friend-${n}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    // The friend's order carries the code as typed at the checkout.
    await send(
      t,
      shop,
      orderPaid(`fo-${n}`, `friend-${n}`, '2026-12-06T10:00:00Z', {
        total: 900,
        discountCodes: [myCode],
      }),
    );
  }
  if (h.wasReferred) {
    const res = await call(t, shop, 'POST', '/v1/referrals/attributions', {
      customerId: me,
      code: await codeOf(t, shop, other.id),
      client: { address: person.ip, userAgent: person.ua },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  if (h.note) {
    expect(
      (await call(t, shop, 'POST', `/v1/customers/${me}/notes`, { body: person.note })).statusCode,
    ).toBe(201);
    await call(t, shop, 'POST', `/v1/customers/${other.id}/notes`, {
      body: `notatka o ${other.first}`,
    });
  }
  if (h.task) {
    expect(
      (await call(t, shop, 'POST', `/v1/customers/${me}/tasks`, { title: person.task })).statusCode,
    ).toBe(201);
  }
  const myId = (
    await t.db
      .selectFrom('customers')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', me)
      .executeTakeFirstOrThrow()
  ).id;
  const now = clock.now();
  if (h.review) {
    await t.db
      .insertInto('reviews')
      .values({
        shop_id: shop.id,
        id: `rev-${n}`,
        customer_id: myId,
        target: 'shop',
        rating: 5,
        title: first,
        body: person.review,
        status: 'approved',
        created_at: now,
        updated_at: now,
      } as never)
      .execute();
  }
  if (h.survey) {
    await t.db
      .insertInto('survey_requests')
      .values({
        shop_id: shop.id,
        id: `srq-${n}`,
        customer_id: myId,
        kind: 'nps',
        locale: 'pl',
        created_at: now,
        expires_at: now,
      } as never)
      .execute();
    await t.db
      .insertInto('survey_answers')
      .values({
        shop_id: shop.id,
        request_id: `srq-${n}`,
        customer_id: myId,
        kind: 'nps',
        score: 3,
        comment: person.survey,
        first_answered_at: now,
        answered_at: now,
        changeable_until: now,
      } as never)
      .execute();
  }
  if (h.message) {
    await t.db
      .insertInto('messages')
      .values({
        shop_id: shop.id,
        id: `msg-${n}`,
        send_key: `k-${n}`,
        customer_id: myId,
        channel: 'sms',
        purpose: 'marketing',
        template_key: 'custom',
        locale: 'pl',
        variables: JSON.stringify({ firstName: first }),
        to_address: person.phone,
        status: 'sent',
        not_before: now,
        created_at: now,
        subject: null,
        body_text: person.message,
      } as never)
      .execute();
  }
  if (h.consent) {
    const res = await call(t, shop, 'POST', `/v1/customers/${me}/consents`, {
      changes: [
        {
          channel: 'email',
          purpose: 'marketing',
          granted: true,
          textShown: 'Zgadzam się na newsletter',
          clientAddress: person.ip,
          userAgent: person.ua,
        },
      ],
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
  if (h.stop) {
    const res = await call(t, shop, 'POST', '/v1/sms/inbound', {
      from: person.phone,
      text: 'STOP',
    });
    expect(res.json()).toMatchObject({ stopped: true });
  }
  if (h.visit) {
    const res = await t.app.inject({
      method: 'GET',
      url: `/r/${myCode}`,
      remoteAddress: person.ip,
      headers: { 'user-agent': person.ua },
    });
    expect(res.statusCode, res.body).toBeLessThan(400);
  }
  if (h.sighting) {
    await call(t, shop, 'POST', '/v1/referrals/sightings', {
      customerId: me,
      clientAddress: person.ip,
      userAgent: person.ua,
    });
  }
  return { shop, me, myId, myCode, person, other };
}

/** Every text, JSON, array and binary column holding one of the needles, as table.column. */
async function find(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const byTable = new Map<string, typeof columns>();
  for (const c of columns) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c]);
  const pattern = needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  for (const [table, cols] of byTable) {
    const text = (c: (typeof columns)[number]) =>
      c.data_type === 'bytea'
        ? sql`encode(${sql.ref(c.column_name)}, 'escape')`
        : sql`${sql.ref(c.column_name)}::text`;
    const any = sql.join(
      cols.map((c) => sql`coalesce(${text(c)}, '')`),
      sql` || ' ' || `,
    );
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${any} ~* ${pattern}`.execute(t.db);
    if (rows[0]!.n === 0) continue;
    for (const c of cols) {
      const hit = await sql<{ v: string }>`
        SELECT ${text(c)} AS v FROM ${sql.table(table)} WHERE ${text(c)} ~* ${pattern} LIMIT 1`.execute(
        t.db,
      );
      if (hit.rows.length > 0)
        found.push(`${table}.${c.column_name}: ${hit.rows[0]!.v.slice(0, 120)}`);
    }
  }
  return found;
}

async function totals(shopId: string) {
  const { rows } = await sql<Record<string, string>>`
    SELECT (SELECT coalesce(sum(points), 0) FROM point_entries WHERE shop_id = ${shopId}) AS points,
           (SELECT coalesce(sum(balance), 0) FROM point_accounts WHERE shop_id = ${shopId}) AS balances,
           (SELECT coalesce(sum(total), 0) FROM orders WHERE shop_id = ${shopId}) AS orders,
           (SELECT count(*) FROM orders WHERE shop_id = ${shopId}) AS order_count,
           (SELECT coalesce(sum(net), 0) || '/' || coalesce(sum(orders), 0) FROM shop_order_days WHERE shop_id = ${shopId}) AS days,
           (SELECT count(*) FROM referrals WHERE shop_id = ${shopId}) AS referrals,
           (SELECT coalesce(sum(rating), 0) FROM reviews WHERE shop_id = ${shopId}) AS ratings`.execute(
    t.db,
  );
  return rows[0];
}

describe('erasure over random customer histories', () => {
  it('leaves no personal datum anywhere, keeps the sums, the other customer and the suppression', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        const n = ++run;
        const { shop, me, myCode, person, other } = await build(h, n);
        const needles = [
          person.email,
          person.phone,
          person.national,
          person.first,
          person.last,
          person.street,
          person.ip,
          person.ua,
          person.note,
          person.task,
          person.review,
          person.survey,
          person.message,
          myCode,
        ];
        // The history did reach the database (else the scan below proves nothing).
        expect((await find([person.email, person.first])).length).toBeGreaterThan(2);
        const before = await totals(shop.id);

        const res = await t.app.inject({
          method: 'POST',
          url: `/v1/customers/${me}/erasure`,
          headers: bearer(shop.apiKey),
          payload: { reason: 'prośba klienta e-mailem' },
        });
        expect(res.statusCode, res.body).toBe(202);
        await t.processor.drain();

        expect(await find(needles)).toEqual([]);
        expect(await totals(shop.id)).toEqual(before);
        await checkLedgerInvariants(t, shop.id);
        const view = await call(t, shop, 'GET', `/v1/customers/${me}`);
        expect(view.json()).toMatchObject({ redacted: true });
        expect(view.json().referralCode).not.toBe(myCode);
        expect((await t.app.inject({ method: 'GET', url: `/r/${myCode}` })).statusCode).toBe(404);
        // The other customer keeps everything.
        expect((await find([other.email])).length).toBeGreaterThan(0);
        // The request is on record, without the person.
        const record = await t.db
          .selectFrom('customer_erasures')
          .selectAll()
          .where('shop_id', '=', shop.id)
          .execute();
        expect(record).toEqual([
          expect.objectContaining({
            basis: 'RODO art. 17 request',
            reason: 'prośba klienta e-mailem',
          }),
        ]);

        // A later delivery for the erased customer brings nothing back.
        await send(
          t,
          shop,
          orderPaid(
            `late-${n}`,
            { id: me, email: person.email, firstName: person.first, phone: person.phone },
            '2026-12-07T09:00:00Z',
            { total: 100 },
          ),
        );
        expect(await find(needles)).toEqual([]);

        // The phone stays suppressed for a new customer with the same number.
        await send(t, shop, {
          type: 'customer.created',
          id: `new-${n}`,
          data: { id: `new-${n}`, phone: person.phone },
        });
        const fresh = await t.db
          .selectFrom('customers')
          .select('id')
          .where('shop_id', '=', shop.id)
          .where('external_id', '=', `new-${n}`)
          .executeTakeFirstOrThrow();
        const gates = await t.db.transaction().execute((tx) =>
          messageGates(
            tx,
            [
              {
                shop_id: shop.id,
                id: 'm',
                customer_id: fresh.id,
                channel: 'sms',
                purpose: 'marketing',
                to_address: person.phone,
              },
            ],
            new Map([[shop.id, { weeklyMarketingCap: 10 } as MessagingSettings]]),
            clock.now(),
          ),
        );
        expect(gates.get('m')).toBe(h.stop ? 'suppressed_stop' : 'no_consent');
        // A new STOP from the phone is taken and suppresses it too.
        const stop = await call(t, shop, 'POST', '/v1/sms/inbound', {
          from: person.phone,
          text: 'STOP',
        });
        expect(stop.statusCode, stop.body).toBe(200);
      }),
      {
        numRuns: sizeForPass(3, 2),
        endOnFailure: true,
        ...(process.env.RODO_SEED && { seed: Number(process.env.RODO_SEED) }),
      },
    );
  }, 120_000);
});
