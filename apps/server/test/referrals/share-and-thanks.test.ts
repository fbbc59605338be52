import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';
import { discountPhrase } from '../../src/referrals/share-messages.ts';
import { attribute, campaign, codeOf, referralOf, signUp } from './support.ts';

const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let link: string;

type Message = {
  channel: string;
  subject: string | null;
  text: string;
  edited: boolean;
  shareUrl: string | null;
};
const messages = async (query = '') => {
  const res = await call(t, shop, 'GET', `/v1/customers/anna/referrals/share-messages${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { link: string; discount: string | null; messages: Message[] };
};
const textOf = (list: Message[], channel: string) => list.find((m) => m.channel === channel)!;

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: 'https://lojal.sklep.pl' } });
  shop = await createTestShop(t, 'Sklep Ziutki');
  await campaign(t, shop, { friendDiscount: { kind: 'fixed', amount: 2000 } });
  await signUp(t, shop, 'anna', { firstName: 'Anna' });
  link = `https://lojal.sklep.pl/r/sklep-ziutki/${await codeOf(t, shop, 'anna')}`;
});
afterAll(() => t.close());

describe('share messages', () => {
  it('offers a short personal message per channel, in neutral Polish by default', async () => {
    const ready = await messages();
    expect(ready.link).toBe(link);
    expect(ready.discount).toBe('20\u00a0zł rabatu');
    expect(ready.messages.map((m) => m.channel)).toEqual([
      'whatsapp',
      'messenger',
      'sms',
      'email',
      'facebook',
      'copy',
    ]);
    expect(textOf(ready.messages, 'whatsapp').text).toBe(
      `Hej, kupuję w Sklep Ziutki i bardzo sobie chwalę, może i Ty coś znajdziesz – z moim linkiem masz 20\u00a0zł rabatu na pierwsze zakupy: ${link}`,
    );
    expect(textOf(ready.messages, 'whatsapp').shareUrl).toBe(
      `https://wa.me/?text=${encodeURIComponent(textOf(ready.messages, 'whatsapp').text)}`,
    );
    const email = textOf(ready.messages, 'email');
    expect(email.subject).toBe('Sklep Ziutki – coś dla Ciebie');
    expect(email.text.endsWith('Pozdrawiam\nAnna')).toBe(true);
    for (const m of ready.messages) {
      expect(m.text, m.channel).toContain(link);
      expect(m.text, m.channel).not.toMatch(/zamówiłam|zamówiłem|\{/);
    }
  });

  it('offers the gendered Polish forms on request, and English', async () => {
    const feminine = await messages('?form=feminine');
    expect(textOf(feminine.messages, 'whatsapp').text).toBe(
      `Hej, zamówiłam fajne rzeczy w Sklep Ziutki, może i Ty coś znajdziesz – z moim linkiem masz 20\u00a0zł rabatu na pierwsze zakupy: ${link}`,
    );
    expect(textOf(feminine.messages, 'email').text).toContain('jestem bardzo zadowolona');
    const masculine = await messages('?form=masculine');
    expect(textOf(masculine.messages, 'email').text).toContain('Zamówiłem ostatnio');
    const english = await messages('?locale=en');
    expect(english.discount).toBe('PLN\u00a020 off');
    expect(textOf(english.messages, 'sms').text).toBe(
      `Hi, I recommend Sklep Ziutki! With my link you get PLN\u00a020 off your first order: ${link}`,
    );
  });

  it('says the discount in words for each kind', () => {
    expect(discountPhrase({ kind: 'percentage', percent: 10 }, 'PLN', 'pl')).toBe('10% rabatu');
    expect(discountPhrase({ kind: 'percentage', percent: 15, cap: 5050 }, 'PLN', 'pl')).toBe(
      '15% rabatu (do 50,50\u00a0zł)',
    );
    expect(discountPhrase({ kind: 'percentage', percent: 10 }, 'PLN', 'en')).toBe('10% off');
    expect(discountPhrase(null, 'PLN', 'pl')).toBeNull();
  });

  it('keeps the customer’s own wording per channel and language, and resets it', async () => {
    const put = await call(t, shop, 'PUT', '/v1/customers/anna/referrals/share-messages/sms', {
      text: `Kochana, łap 20\u00a0zł rabatu na start: ${link}`,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ channel: 'sms', edited: true });
    const stored = await t.db
      .selectFrom('referral_share_messages')
      .select(['text', 'locale'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ text: 'Kochana, łap {discount} na start: {link}', locale: 'pl' });
    expect(textOf((await messages()).messages, 'sms')).toMatchObject({
      edited: true,
      text: `Kochana, łap 20\u00a0zł rabatu na start: ${link}`,
    });
    expect(textOf((await messages('?locale=en')).messages, 'sms').edited).toBe(false);

    const reset = await call(t, shop, 'DELETE', '/v1/customers/anna/referrals/share-messages/sms');
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().edited).toBe(false);
    expect(textOf((await messages()).messages, 'sms').edited).toBe(false);
  });

  it('refuses a message without the link or the code, and an unknown channel', async () => {
    const res = await call(t, shop, 'PUT', '/v1/customers/anna/referrals/share-messages/sms', {
      text: 'Polecam!',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'text', message: expect.any(String) }]);
    const bad = await call(t, shop, 'PUT', '/v1/customers/anna/referrals/share-messages/fax', {
      text: '{link}',
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('thank-you notes', () => {
  it('shows the friend’s one-line thank-you in the referrer’s list', async () => {
    await signUp(t, shop, 'basia');
    await attribute(t, shop, { customerId: 'basia', code: await codeOf(t, shop, 'anna') });
    const res = await call(t, shop, 'POST', '/v1/customers/basia/referral-thank-you', {
      note: '  Dzięki, Aniu! Sukienka jest super.  ',
    });
    expect(res.statusCode, res.body).toBe(200);
    const referral = (await referralOf(t, shop, 'anna', 'basia')) as unknown as {
      thankYou: { note: string; at: string } | null;
    };
    expect(referral.thankYou).toEqual({
      note: 'Dzięki, Aniu! Sukienka jest super.',
      at: clock.now().toISOString(),
    });
  });

  it('takes one line only, and only from a referred friend of this shop', async () => {
    const twoLines = await call(t, shop, 'POST', '/v1/customers/basia/referral-thank-you', {
      note: 'Dzięki!\nNaprawdę',
    });
    expect(twoLines.statusCode).toBe(400);
    expect(twoLines.json().errors[0].path).toBe('note');
    const notReferred = await call(t, shop, 'POST', '/v1/customers/anna/referral-thank-you', {
      note: 'Dzięki',
    });
    expect(notReferred.statusCode).toBe(404);
    const other = await createTestShop(t, 'Inny Sklep');
    const foreign = await call(t, other, 'POST', '/v1/customers/basia/referral-thank-you', {
      note: 'Dzięki',
    });
    expect(foreign.statusCode).toBe(404);
    const share = await call(t, other, 'GET', '/v1/customers/anna/referrals/share-messages');
    expect(share.statusCode).toBe(404);
  });
});
