import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { addCustomer, call, sentMessage } from './support.ts';

// The routes the dashboard's Templates and Messages pages add (issue 17): consent texts, a test
// send to the signed-in person, and the delivery log's purpose and period filters.
const NOW = '2026-12-06T10:00:00Z';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock(NOW) });
});
afterAll(async () => {
  await t.close();
});

async function member(shopId: string, role: 'owner' | 'marketer' | 'analyst') {
  const m = await createMember(t, shopId, role);
  return { ...m, headers: asMember(await signIn(t, m.email), shopId) };
}

describe('consent texts', () => {
  it('start from the default wording, take the shop’s own, and go back to the default', async () => {
    const shop = await createTestShop(t);
    const first = await call(t, shop, 'GET', '/v1/messaging/consent-texts');
    expect(first.statusCode, first.body).toBe(200);
    const texts = first.json().data as {
      channel: string;
      purpose: string;
      locale: string;
      text: string;
      own: boolean;
    }[];
    expect(texts).toHaveLength(18);
    expect(texts.every((x) => !x.own)).toBe(true);
    const smsPl = texts.find(
      (x) => x.channel === 'sms' && x.purpose === 'marketing' && x.locale === 'pl',
    )!;
    expect(smsPl.text).toMatch(/SMS/);

    const own = 'Tak, chcę dostawać SMS-y z rabatami. Wypiszę się, odpisując STOP.';
    const saved = await call(t, shop, 'PUT', '/v1/messaging/consent-texts', {
      texts: [{ channel: 'sms', purpose: 'marketing', locale: 'pl', text: own }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const after = saved.json().data as typeof texts;
    expect(
      after.find((x) => x.channel === 'sms' && x.purpose === 'marketing' && x.locale === 'pl'),
    ).toMatchObject({ text: own, own: true });
    expect(after.filter((x) => x.own)).toHaveLength(1);

    const back = await call(t, shop, 'PUT', '/v1/messaging/consent-texts', {
      texts: [{ channel: 'sms', purpose: 'marketing', locale: 'pl', text: '' }],
    });
    expect(back.json().data.find((x: { own: boolean }) => x.own)).toBeUndefined();

    const bad = await call(t, shop, 'PUT', '/v1/messaging/consent-texts', {
      texts: [{ channel: 'fax', purpose: 'marketing', locale: 'pl', text: 'x' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('texts.0.channel');
  });

  it('an analyst reads them and cannot change them', async () => {
    const shop = await createTestShop(t);
    const analyst = await member(shop.id, 'analyst');
    const read = await t.app.inject({
      method: 'GET',
      url: '/v1/messaging/consent-texts',
      headers: analyst.headers,
    });
    expect(read.statusCode).toBe(200);
    const write = await t.app.inject({
      method: 'PUT',
      url: '/v1/messaging/consent-texts',
      headers: analyst.headers,
      payload: {
        texts: [{ channel: 'email', purpose: 'loyalty', locale: 'en', text: 'Yes please.' }],
      },
    });
    expect(write.statusCode).toBe(403);
    expect(
      await t.db.selectFrom('consent_texts').selectAll().where('shop_id', '=', shop.id).execute(),
    ).toEqual([]);
  });
});

describe('test send', () => {
  const url = '/v1/messaging/templates/birthday/email/pl/test-send';

  it('sends the draft to the signed-in person, into the outbox without SMTP', async () => {
    const shop = await createTestShop(t);
    const marketer = await member(shop.id, 'marketer');
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: marketer.headers,
      payload: {
        content: {
          subject: 'Próba {{ customer.firstName }}',
          body: '<mj-text>Zmieniona treść 123</mj-text>',
        },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      to: marketer.email,
      outbox: true,
      subject: expect.stringMatching(/^\[TEST\] Próba /),
    });
    const mail = await t.db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(mail.to_address).toBe(marketer.email);
    expect(mail.message_id).toBe(res.json().messageId);
    expect(mail.raw).toContain('Zmieniona tre');
    // Not a message of the delivery log.
    const log = await call(t, shop, 'GET', '/v1/messages');
    expect(log.json().messages).toEqual([]);
  });

  it('says where a broken draft breaks, refuses an API key and other channels', async () => {
    const shop = await createTestShop(t);
    const owner = await member(shop.id, 'owner');
    const broken = await t.app.inject({
      method: 'POST',
      url,
      headers: owner.headers,
      payload: {
        content: { subject: 'x', body: '<mj-text>a</mj-text>\n<mj-text>{% if %}</mj-text>' },
      },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0].path).toBe('body:line 2');
    const byKey = await call(t, shop, 'POST', url, {});
    expect(byKey.statusCode).toBe(422);
    expect(byKey.json().type).toBe('/problems/test-needs-person');
    const sms = await t.app.inject({
      method: 'POST',
      url: '/v1/messaging/templates/birthday/sms/pl/test-send',
      headers: owner.headers,
      payload: {},
    });
    expect(sms.statusCode).toBe(422);
    expect(sms.json().type).toBe('/problems/test-email-only');
    const analyst = await member(shop.id, 'analyst');
    const refused = await t.app.inject({
      method: 'POST',
      url,
      headers: analyst.headers,
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
    expect(
      await t.db.selectFrom('mail_outbox').selectAll().where('shop_id', '=', shop.id).execute(),
    ).toEqual([]);
  });
});

describe('delivery log filters', () => {
  it('filters by purpose and by the shop’s days', async () => {
    const shop = await createTestShop(t);
    const c = await addCustomer(t, shop, { id: 'c1', email: 'c1@example.pl' });
    const a = await sentMessage(t, shop, c.id, {
      channel: 'email',
      purpose: 'marketing',
      to: 'c1@example.pl',
    });
    const b = await sentMessage(t, shop, c.id, {
      channel: 'sms',
      purpose: 'loyalty',
      to: '+48600100200',
    });
    // a: 5 December 23:30 in Warsaw (22:30 UTC); b: 6 December 00:30 in Warsaw.
    await t.db
      .updateTable('messages')
      .set({ created_at: new Date('2026-12-05T22:30:00Z') })
      .where('id', '=', a)
      .execute();
    await t.db
      .updateTable('messages')
      .set({ created_at: new Date('2026-12-05T23:30:00Z') })
      .where('id', '=', b)
      .execute();
    const ids = async (query: string) =>
      (
        (await call(t, shop, 'GET', `/v1/messages?${query}`)).json().messages as { id: string }[]
      ).map((m) => m.id);
    expect(await ids('purpose=marketing')).toEqual([a]);
    expect(await ids('purpose=loyalty')).toEqual([b]);
    expect(await ids('from=2026-12-06&to=2026-12-07')).toEqual([b]);
    expect(await ids('from=2026-12-05&to=2026-12-06')).toEqual([a]);
    const bad = await call(t, shop, 'GET', '/v1/messages?from=yesterday');
    expect(bad.statusCode).toBe(400);
  });
});

describe('preview for a real customer', () => {
  it('reads the customer’s own name and points; an unknown customer is a 404', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'real-7', email: 'jadwiga@example.pl', firstName: 'Jadwiga' });
    const url = '/v1/messaging/templates/birthday/sms/pl/preview';
    const content = { text: '{{ customer.firstName }}: {{ points.available }} pkt' };
    const real = await call(t, shop, 'POST', url, { content, customerId: 'real-7' });
    expect(real.statusCode, real.body).toBe(200);
    expect(real.json().text).toBe('Jadwiga: 0 pkt');
    const sample = await call(t, shop, 'POST', url, { content });
    expect(sample.json().text).toBe('Zofia: 1250 pkt');
    const unknown = await call(t, shop, 'POST', url, { content, customerId: 'nobody' });
    expect(unknown.statusCode).toBe(404);
  });
});
