import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { messageLinks } from '../../src/automations/message-links.ts';
import { addCustomer, call, sentMessage } from '../messaging-api/support.ts';

// Audit L6: a signed link works for the one thing it was made for, and a survey answer is not
// recorded by a GET that a mail scanner makes.
const clock = fixedClock('2026-06-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let customerId: string;
let links: ReturnType<typeof messageLinks>;

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const path = (url: string) => new URL(url).pathname;
const tokenOf = (url: string) => path(url).split('/').pop()!;
const status = async (method: 'GET' | 'POST', url: string, payload?: string) =>
  (await t.app.inject({ method, url, ...(payload !== undefined && { headers: form, payload }) }))
    .statusCode;

/** A token as Lojal signed every message link before purposes: one key, "messages". */
function legacyToken(payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const mac = createHmac('sha256', t.box.signingKey('messages')).update(body).digest('base64url');
  return `${body}.${mac}`;
}

const answerOf = (requestId: string) =>
  t.db
    .selectFrom('survey_answers')
    .selectAll()
    .where('request_id', '=', requestId)
    .executeTakeFirst();

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Ziutki');
  customerId = (await addCustomer(t, shop, { id: 'ola', email: 'ola@example.com' })).id;
  const messageId = await sentMessage(t, shop, customerId, {
    channel: 'email',
    purpose: 'marketing',
    to: 'ola@example.com',
  });
  links = messageLinks(
    t.box,
    t.config.publicUrl,
    { shopId: shop.id, customerId, messageId },
    clock.now(),
  );
});
afterAll(() => t.close());

describe('message links', () => {
  it("open the preferences page only with a preferences token, never with the message's pixel or click token", async () => {
    const pixel = tokenOf(links.openPixel);
    const click = tokenOf(links.click('https://ziutka.pl/promocja'));
    expect(await status('GET', `/m/o/${pixel}`)).toBe(200);
    expect(await status('GET', `/m/c/${click}`)).toBe(302);
    for (const token of [pixel, click]) {
      expect(await status('GET', `/m/p/${token}`)).toBe(404);
      expect(await status('POST', `/m/p/${token}`, 'form=preferences')).toBe(404);
      expect(await status('GET', `/m/u/${token}`)).toBe(404);
      expect(await status('POST', `/m/u/${token}`, 'List-Unsubscribe=One-Click')).toBe(404);
    }
    // Each of the others opens its own page only.
    expect(await status('GET', path(links.preferences))).toBe(200);
    expect(await status('GET', path(links.unsubscribe))).toBe(200);
    expect(await status('GET', `/m/u/${tokenOf(links.preferences)}`)).toBe(404);
    expect(await status('GET', `/m/p/${tokenOf(links.unsubscribe)}`)).toBe(404);
    expect(await status('GET', `/m/c/${tokenOf(links.preferences)}`)).toBe(404);
    const consents = await t.db.selectFrom('consent_events').selectAll().execute();
    expect(consents).toEqual([]);
  });

  it('keep the links of e-mails sent before tokens had purposes working as they did', async () => {
    const exp = Math.floor(clock.now().getTime() / 1000) + 365 * 86_400;
    const own = legacyToken({ s: shop.id, c: customerId, m: 'msg_old', exp });
    expect(await status('GET', `/m/o/${own}`)).toBe(200);
    expect(await status('GET', `/m/p/${own}`)).toBe(200);
    expect(await status('GET', `/m/u/${own}`)).toBe(200);
    // A click token names its destination: it was only ever a click link.
    const click = legacyToken({ s: shop.id, c: customerId, u: 'https://ziutka.pl/', exp });
    expect(await status('GET', `/m/c/${click}`)).toBe(302);
    expect(await status('GET', `/m/p/${click}`)).toBe(404);
    expect(await status('GET', `/m/u/${click}`)).toBe(404);
  });

  it('refuse a token with anything added to its signature', async () => {
    const token = tokenOf(links.preferences);
    for (const tail of ['=', '!', '%20', 'A']) {
      expect(await status('GET', `/m/p/${token}${tail}`), tail).toBe(404);
    }
  });
});

describe('survey answer links', () => {
  let survey: { requestId: string; answerUrls: string[] };
  beforeAll(async () => {
    const res = await call(t, shop, 'POST', '/v1/survey-requests', {
      customerId: 'ola',
      kind: 'nps',
    });
    survey = res.json();
  });

  it('record nothing when a mail scanner opens every score link', async () => {
    for (const url of survey.answerUrls) {
      const res = await t.app.inject({ method: 'GET', url: path(url) });
      expect(res.statusCode).toBe(200);
    }
    expect(await answerOf(survey.requestId)).toBeUndefined();
    const triggers = await t.db
      .selectFrom('automation_triggers')
      .select('type')
      .where('type', '=', 'survey.answered')
      .execute();
    expect(triggers).toEqual([]);
  });

  it("show the link's score chosen, with one button that records it", async () => {
    const res = await t.app.inject({ method: 'GET', url: path(survey.answerUrls[9]!) });
    expect(res.body).toContain('<html lang="pl">');
    expect(res.body).toMatch(
      /<a href="[^"]+" aria-current="true" aria-label="Ocena 9 z 10">9<\/a>/,
    );
    expect(res.body).toContain('<form method="post" action="" id="answer-form">');
    expect(res.body).toContain('<input type="hidden" name="answer" value="1">');
    expect(res.body).toContain('Zapisz ocenę 9/10</button>');
    // The page's script posts the answer once shown: one click in the e-mail answers.
    expect(res.body).toContain("document.visibilityState !== 'visible'");
  });

  it('record the score of the link when the page posts it, and change it from another link', async () => {
    const answer = await t.app.inject({
      method: 'POST',
      url: path(survey.answerUrls[9]!),
      headers: form,
      payload: 'answer=1',
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('Zapisaliśmy Twoją ocenę: 9/10.');
    expect(await answerOf(survey.requestId)).toMatchObject({ score: 9, changes: 0 });

    // The same link again shows the answer; another score asks before it changes anything.
    const again = await t.app.inject({ method: 'GET', url: path(survey.answerUrls[9]!) });
    expect(again.body).toContain('Zapisaliśmy Twoją ocenę: 9/10.');
    expect(again.body).not.toContain('answer-form');
    const other = await t.app.inject({ method: 'GET', url: path(survey.answerUrls[3]!) });
    expect(other.body).toContain('Twoja obecna ocena: 9/10.');
    expect(other.body).toContain('Zmień ocenę na 3/10</button>');
    expect(await answerOf(survey.requestId)).toMatchObject({ score: 9, changes: 0 });
    const changed = await t.app.inject({
      method: 'POST',
      url: path(survey.answerUrls[3]!),
      headers: form,
      payload: 'answer=1&comment=Paczka+zgnieciona',
    });
    expect(changed.body).toContain('Zmieniliśmy Twoją ocenę na 3/10.');
    expect(await answerOf(survey.requestId)).toMatchObject({
      score: 3,
      changes: 1,
      comment: 'Paczka zgnieciona',
    });
  });
});
