import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateFor } from '../../src/automations/render-message.ts';
import { countSmsSegments } from '../../src/messaging/sms-segments.ts';
import { readyTemplates } from '../../src/messaging/ready-templates.ts';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { call } from './support.ts';

// The sample coupon expires 30 days after "now": 5 January 2027, a one-digit day on purpose.
const NOW = '2026-12-06T10:00:00Z';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    clock: fixedClock(NOW),
    config: { publicUrl: 'https://lojal.example' },
  });
});
afterAll(async () => {
  await t.close();
});

const BIRTHDAY_EMAIL = '/v1/messaging/templates/birthday/email/pl';
const ownEmail = {
  subject: 'Wszystkiego najlepszego, {{ customer.firstName }}!',
  preheader: 'Prezent od {{ shop.name }}',
  body: `<mj-text>{{ greeting }}!</mj-text>
<mj-text>Masz u nas {{ points.available | plural: 'punkt', 'punkty', 'punktów' }}.</mj-text>`,
};

describe('message templates', () => {
  it('list every ready-made template with its purpose and the versions the shop made its own', async () => {
    const shop = await createTestShop(t);
    await call(t, shop, 'PUT', BIRTHDAY_EMAIL, ownEmail);
    const res = await call(t, shop, 'GET', '/v1/messaging/templates');
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json().data as Array<{
      key: string;
      purpose: string;
      readyMade: unknown[];
      overridden: unknown[];
    }>;
    expect(list.map((x) => x.key)).toEqual(Object.keys(readyTemplates));
    const birthday = list.find((x) => x.key === 'birthday')!;
    expect(birthday.purpose).toBe('marketing');
    expect(birthday.readyMade).toEqual(
      expect.arrayContaining([
        { channel: 'email', locale: 'pl' },
        { channel: 'sms', locale: 'en' },
      ]),
    );
    expect(birthday.overridden).toEqual([
      { channel: 'email', locale: 'pl', updatedAt: expect.any(String) },
    ]);
    expect(list.find((x) => x.key === 'win_back')!.overridden).toEqual([]);
  });

  it('show the ready-made content until the shop saves its own, which messages then use', async () => {
    const shop = await createTestShop(t);
    const before = await call(t, shop, 'GET', BIRTHDAY_EMAIL);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toMatchObject({
      own: false,
      purpose: 'marketing',
      content: readyTemplates.birthday.email!.pl,
    });

    const put = await call(t, shop, 'PUT', BIRTHDAY_EMAIL, ownEmail);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ own: true, content: ownEmail });
    expect(await templateFor(t.db, shop.id, 'birthday', 'email', 'pl')).toEqual(ownEmail);
    // The other language and channels stay ready-made.
    expect(await templateFor(t.db, shop.id, 'birthday', 'email', 'en')).toEqual(
      readyTemplates.birthday.email!.en,
    );

    await call(t, shop, 'PUT', '/v1/messaging/templates/birthday/sms/pl', {
      text: 'Sto lat! {{ shop.name }}',
    });
    expect(await templateFor(t.db, shop.id, 'birthday', 'sms', 'pl')).toBe(
      'Sto lat! {{ shop.name }}',
    );
  });

  it('reset to the ready-made version (and resetting twice is fine)', async () => {
    const shop = await createTestShop(t);
    await call(t, shop, 'PUT', BIRTHDAY_EMAIL, ownEmail);
    for (let i = 0; i < 2; i++)
      expect((await call(t, shop, 'DELETE', BIRTHDAY_EMAIL)).statusCode).toBe(204);
    expect((await call(t, shop, 'GET', BIRTHDAY_EMAIL)).json()).toMatchObject({ own: false });
    expect(await templateFor(t.db, shop.id, 'birthday', 'email', 'pl')).toEqual(
      readyTemplates.birthday.email!.pl,
    );
  });

  it('refuse a template whose MJML does not compile, with the line in the body', async () => {
    const shop = await createTestShop(t);
    const res = await call(t, shop, 'PUT', BIRTHDAY_EMAIL, {
      subject: 'Sto lat',
      body: '<mj-text>Sto lat!</mj-text>\n<mj-text>Prezent czeka\n<mj-button href="https://example.com">Odbierz</mj-button>',
    });
    expectProblem(res, 400);
    const errors = res.json().errors as Array<{ path: string; message: string }>;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toEqual({ path: 'body:line 2', message: '<mj-text> is never closed' });
    // Nothing was saved.
    expect((await call(t, shop, 'GET', BIRTHDAY_EMAIL)).json().own).toBe(false);
  });

  it('refuse a Liquid error in the field it is in, and fields a channel does not take', async () => {
    const shop = await createTestShop(t);
    const liquid = await call(t, shop, 'PUT', BIRTHDAY_EMAIL, {
      subject: 'Sto lat {{ customer.firstName | shout }}',
      body: '<mj-text>ok</mj-text>\n<mj-text>{% if points %}</mj-text>',
    });
    expectProblem(liquid, 400);
    const paths = liquid.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(['subject:line 1', 'body:line 2']);

    const shape = await call(t, shop, 'PUT', '/v1/messaging/templates/birthday/sms/pl', {
      title: 'x',
    });
    expectProblem(shape, 400);
    expect(
      shape
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['text', 'title']);
  });

  it('preview a Polish SMS draft with diacritics as UCS-2 with its segments, saving nothing', async () => {
    const shop = await createTestShop(t);
    const draft = {
      text: 'Cześć {{ customer.firstName }}! Z okazji urodzin mamy dla Ciebie {{ coupon.discountText }} w {{ shop.name }}. Kod {{ coupon.code }} jest ważny do {{ coupon.expiresAt | date: "short" }}.',
    };
    const res = await call(t, shop, 'POST', '/v1/messaging/templates/birthday/sms/pl/preview', {
      content: draft,
    });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    // The short Polish date is CLDR's d.MM.y: "5.01.2027", digits only, so an SMS stays short.
    expect(preview.text).toBe(
      'Cześć Zofia! Z okazji urodzin mamy dla Ciebie 10% rabatu w Sklep Testowy. Kod WITAJ-7Q4K jest ważny do 5.01.2027.',
    );
    // 113 characters: one GSM-7 SMS without the diacritics, but two UCS-2 parts (67 + 46) with them.
    expect(preview.text).toHaveLength(113);
    expect(preview.segments).toEqual({ encoding: 'UCS-2', units: 113, segments: 2 });
    expect(preview.segments).toEqual(countSmsSegments(preview.text));
    expect((await call(t, shop, 'GET', '/v1/messaging/templates/birthday/sms/pl')).json().own).toBe(
      false,
    );

    // The ready-made Polish SMS avoids diacritics and stays GSM-7.
    const ready = await call(
      t,
      shop,
      'POST',
      '/v1/messaging/templates/birthday/sms/pl/preview',
      {},
    );
    expect(ready.json().segments.encoding).toBe('GSM-7');
  });

  it('preview an e-mail with the shop footer and the sample customer', async () => {
    const shop = await createTestShop(t);
    await call(t, shop, 'PUT', '/v1/messaging/settings', {
      postalAddress: 'ul. Długa 5, 00-001 Warszawa',
    });
    const res = await call(
      t,
      shop,
      'POST',
      '/v1/messaging/templates/points_expiring/email/en/preview',
    );
    expect(res.statusCode, res.body).toBe(200);
    const email = res.json();
    expect(email.channel).toBe('email');
    expect(email.html).toContain('ul. Długa 5');
    expect(email.text).toContain('Zofia');
    expect(email.subject.length).toBeGreaterThan(5);
  });

  it('answer 404 for an unknown key, channel or language', async () => {
    const shop = await createTestShop(t);
    for (const path of ['nope/email/pl', 'birthday/fax/pl', 'birthday/email/de']) {
      expectProblem(await call(t, shop, 'GET', `/v1/messaging/templates/${path}`), 404);
      expectProblem(
        await call(t, shop, 'PUT', `/v1/messaging/templates/${path}`, { text: 'x' }),
        404,
      );
      expectProblem(
        await call(t, shop, 'POST', `/v1/messaging/templates/${path}/preview`, {}),
        404,
      );
    }
    // A channel the key has no ready-made version of: nothing to show until the shop adds one.
    expectProblem(await call(t, shop, 'GET', '/v1/messaging/templates/win_back/sms/pl'), 404);
    const added = await call(t, shop, 'PUT', '/v1/messaging/templates/win_back/sms/pl', {
      text: 'Tesknimy! {{ shop.name }}',
    });
    expect(added.statusCode, added.body).toBe(200);
  });
});
