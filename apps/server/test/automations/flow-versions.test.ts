import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutomationRound } from '../../src/automations/run-automation-round.ts';
import type { EmailTransport } from '../../src/messaging/email-transport.ts';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { deliveryDeps, PUBLIC_URL, smtpTo, startSmtpSink, type SmtpSink } from './support.ts';

// A flow edited while customers walk it: a new version takes the new runs, and the runs under
// way keep their own version — its waits, its steps and its exits.
const clock = fixedClock('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let t: TestApp;
let sink: SmtpSink;
let email: EmailTransport;

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: PUBLIC_URL } });
  sink = await startSmtpSink();
  email = smtpTo(sink);
});
afterAll(async () => {
  await email.close();
  await sink.close();
  await t.close();
});

const customer = (id: string) => ({
  id,
  email: `${id}@example.pl`,
  acceptsMarketing: { email: true },
});

describe('flow versions and the runs under way', () => {
  it('a new version takes new runs; an older run keeps its wait, its steps and its exits', async () => {
    const shop = await createTestShop(t, 'Sklep Wersje');
    const api = (method: 'GET' | 'PUT', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: bearer(shop.apiKey), ...(payload && { payload }) });
    const round = () => runAutomationRound(t.db, clock, deliveryDeps(t, email));
    const [welcome] = (await api('GET', '/v1/flows')).json().flows;
    const start = Date.parse('2026-03-02T10:00:00Z');

    clock.set(new Date(start));
    await send(
      t,
      shop,
      orderPaid('o-ala', customer('ala'), '2026-03-02T10:00:00Z', { total: 9_000 }),
    );
    await round();

    // Version 2: the day-2 wait becomes 3 days, and a second order no longer ends the series.
    const definition = structuredClone(welcome.definition);
    definition.steps[1].duration = { days: 3 };
    definition.exitOn = [];
    const put = await api('PUT', `/v1/flows/${welcome.id}`, { definition });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().version).toBe(2);
    // A change made from version 1 after version 2 was saved: refused, nothing changes.
    const stale = await api('PUT', `/v1/flows/${welcome.id}`, {
      definition: welcome.definition,
      expectedVersion: 1,
    });
    expect(stale.statusCode, stale.body).toBe(409);
    expect((await api('GET', `/v1/flows/${welcome.id}`)).json().version).toBe(2);

    clock.set(new Date(start + HOUR));
    await send(
      t,
      shop,
      orderPaid('o-bea', customer('bea'), '2026-03-02T11:00:00Z', { total: 9_000 }),
    );
    await round();

    const runs = async () =>
      Object.fromEntries(
        (
          await t.db
            .selectFrom('flow_runs')
            .select(['customer_id', 'flow_version', 'status', 'due_at', 'step_index', 'end_reason'])
            .where('shop_id', '=', shop.id)
            .execute()
        ).map((r) => [r.customer_id, r]),
      );
    const before = await runs();
    const [ala, bea] = [before[await idOf(shop.id, 'ala')]!, before[await idOf(shop.id, 'bea')]!];
    expect(ala).toMatchObject({ flow_version: 1, status: 'active', step_index: 2 });
    expect(ala.due_at!.toISOString()).toBe(new Date(start + 2 * DAY).toISOString());
    expect(bea).toMatchObject({ flow_version: 2, status: 'active', step_index: 2 });
    expect(bea.due_at!.toISOString()).toBe(new Date(start + HOUR + 3 * DAY).toISOString());

    // Day 2: Ala gets the tip (her version's wait); Bea does not yet.
    clock.set(new Date(start + 2 * DAY + 60_000));
    await round();
    const mailsTo = (who: string) =>
      sink.mails.filter((m) => m.envelopeTo.includes(`${who}@example.pl`)).length;
    expect(mailsTo('ala')).toBe(2);
    expect(mailsTo('bea')).toBe(1);
    clock.set(new Date(start + HOUR + 3 * DAY + 60_000));
    await round();
    expect(mailsTo('bea')).toBe(2);

    // A second order: Ala's version ends the series on it, Bea's does not.
    await send(
      t,
      shop,
      orderPaid('o-ala-2', { id: 'ala' }, new Date(clock.now()).toISOString(), { total: 5_000 }),
      orderPaid('o-bea-2', { id: 'bea' }, new Date(clock.now()).toISOString(), { total: 5_000 }),
    );
    await round();
    const after = await runs();
    expect(after[await idOf(shop.id, 'ala')]).toMatchObject({
      status: 'exited',
      end_reason: 'exit:order.paid',
    });
    expect(after[await idOf(shop.id, 'bea')]).toMatchObject({ status: 'active', flow_version: 2 });

    const results = (await api('GET', `/v1/flows/${welcome.id}/results`)).json();
    expect(results.version).toBe(2);
    expect(results.versions).toEqual([
      { version: 1, runs: 1, active: 0 },
      { version: 2, runs: 1, active: 1 },
    ]);
    expect(results.currency).toBe('PLN');
    const thanks = results.messages.find((m: { stepId: string }) => m.stepId === 'thank-you');
    expect(thanks).toMatchObject({ total: 2, sent: 2, revenue: 0 });
  }, 60_000);
});

async function idOf(shopId: string, externalId: string): Promise<string> {
  const row = await t.db
    .selectFrom('customers')
    .select('id')
    .where('shop_id', '=', shopId)
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  return row.id;
}
