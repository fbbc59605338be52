import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';
import { campaign, codeOf, signUp } from './support.ts';
import { COPY_SCRIPT } from '../../src/referrals/referral-landing-page.ts';

// Issue 15, item 4: a referral link shows a page before the shop (the default of a campaign),
// or redirects as before (`landing: 'redirect'`).
const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;
let campaignId: string;
let code: string;

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const open = (
  url: string,
  headers: Record<string, string> = {},
  remoteAddress = '198.51.100.7',
  method: 'GET' | 'HEAD' = 'GET',
) =>
  t.app.inject({
    method,
    url,
    remoteAddress,
    headers: { 'user-agent': FIREFOX, 'accept-language': 'pl-PL,pl;q=0.9', ...headers },
  });
const visits = async () =>
  (await t.db.selectFrom('referral_visits').select('id').where('shop_id', '=', shop.id).execute())
    .length;
/** A meta tag's content as a browser reads it (the page escapes it); no-break spaces as spaces. */
function meta(html: string, key: string): string | null {
  const found = new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)">`).exec(html);
  return found ? decode(found[1]!).replaceAll('\u00a0', ' ') : null;
}
const decode = (text: string) =>
  text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
function continueUrl(html: string): URL {
  const found = /<a class="continue" id="continue" href="([^"]+)"/.exec(html);
  expect(found, 'the continue link').not.toBeNull();
  return new URL(decode(found![1]!));
}
const text = (html: string) => decode(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: 'https://lojal.example.pl' } });
  shop = await createTestShop(t, 'Palarnia Kawy');
  other = await createTestShop(t, 'Konkurencja');
  // A campaign created without `landing` shows the page.
  await call(t, shop, 'PUT', '/v1/referrals/storefront', {
    storefrontUrl: 'https://palarnia.example.pl/sklep?utm_source=lojal',
  });
  const created = await call(t, shop, 'POST', '/v1/referral-campaigns', {
    name: 'Poleć kawę',
    settings: {
      friendDiscount: { kind: 'fixed', amount: 1500 },
      minOrderValue: 5000,
      termsUrl: 'https://palarnia.example.pl/regulamin',
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  expect(created.json().landing).toBe('page');
  campaignId = created.json().id;
  await signUp(t, shop, 'ania', { firstName: 'Ania' });
  code = await codeOf(t, shop, 'ania');
});
afterAll(() => t.close());

describe('the referral landing page', () => {
  it("shows the referrer's first name, the friend's offer and the code, in Polish", async () => {
    const before = await visits();
    const res = await open(`/r/palarnia-kawy/${code}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const page = text(res.body);
    expect(page).toContain('Ania poleca Ci sklep Palarnia Kawy');
    expect(page).toContain('15 zł na pierwsze zamówienie');
    expect(page).toContain('przy zamówieniu za co najmniej 50 zł');
    expect(page).toContain(code);
    expect(page).toContain('Kopiuj kod');
    expect(page).toContain('Przejdź do sklepu');
    expect(res.body).toContain('<html lang="pl">');
    expect(res.body).toContain('href="https://palarnia.example.pl/regulamin"');
    expect(await visits()).toBe(before + 1);
  });

  it('continues to the storefront with the attribution parameters of the counted visit', async () => {
    const res = await open(`/r/palarnia-kawy/${code}`, {}, '198.51.100.8');
    const next = continueUrl(res.body);
    expect(next.origin + next.pathname).toBe('https://palarnia.example.pl/sklep');
    expect(next.searchParams.get('utm_source')).toBe('lojal');
    expect(next.searchParams.get('lojal_ref')).toBe(code);
    const visit = await t.db
      .selectFrom('referral_visits')
      .select(['client_address', 'campaign_id', 'user_agent'])
      .where('id', '=', next.searchParams.get('lojal_visit')!)
      .executeTakeFirstOrThrow();
    expect(visit).toEqual({
      client_address: '198.51.100.8',
      campaign_id: campaignId,
      user_agent: FIREFOX,
    });
    // The same client within the day: the same visit, nothing new counted.
    const before = await visits();
    const again = await open(`/r/${code}`, {}, '198.51.100.8');
    expect(continueUrl(again.body).searchParams.get('lojal_visit')).toBe(
      next.searchParams.get('lojal_visit'),
    );
    expect(await visits()).toBe(before);
  });

  it("speaks the visitor's language, else the shop's", async () => {
    const en = await open(`/r/palarnia-kawy/${code}`, {
      'accept-language': 'de-DE,de;q=0.9,en;q=0.8,pl;q=0.5',
    });
    expect(en.body).toContain('<html lang="en">');
    expect(text(en.body)).toContain('Ania recommends Palarnia Kawy');
    expect(text(en.body)).toContain('PLN 15 off your first order');
    expect(text(en.body)).toContain('Continue to the shop');
    const german = await open(`/r/palarnia-kawy/${code}`, { 'accept-language': 'de' });
    expect(german.body).toContain('<html lang="pl">');
  });

  it('has Open Graph and Twitter card tags, with the logo from the brand kit when set', async () => {
    const without = await open(`/r/palarnia-kawy/${code}`);
    expect(meta(without.body, 'og:image')).toBeNull();
    await t.db
      .updateTable('shops')
      .set({ brand_logo_url: 'https://cdn.palarnia.example.pl/logo.png' })
      .where('id', '=', shop.id)
      .execute();
    const res = await open(`/r/palarnia-kawy/${code}`);
    const title = 'Ania poleca Ci sklep Palarnia Kawy: 15 zł na pierwsze zamówienie';
    expect(meta(res.body, 'og:title')).toBe(title);
    expect(meta(res.body, 'twitter:title')).toBe(title);
    expect(meta(res.body, 'og:description')).toBe(`15 zł na pierwsze zamówienie z kodem ${code}.`);
    expect(meta(res.body, 'og:url')).toBe(`https://lojal.example.pl/r/palarnia-kawy/${code}`);
    expect(meta(res.body, 'og:type')).toBe('website');
    expect(meta(res.body, 'og:site_name')).toBe('Palarnia Kawy');
    expect(meta(res.body, 'og:image')).toBe('https://cdn.palarnia.example.pl/logo.png');
    expect(meta(res.body, 'twitter:image')).toBe('https://cdn.palarnia.example.pl/logo.png');
    expect(meta(res.body, 'twitter:card')).toBe('summary');
    expect(res.body).toContain('<img class="logo" src="https://cdn.palarnia.example.pl/logo.png"');
  });

  it('runs only its own copy script under the Content-Security-Policy, and images only over https', async () => {
    const res = await open(`/r/palarnia-kawy/${code}`);
    const csp = String(res.headers['content-security-policy']);
    const hash = createHash('sha256').update(COPY_SCRIPT, 'utf8').digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain('img-src data: https:');
    expect(res.body).toContain(`<script>${COPY_SCRIPT}</script>`);
    expect(res.body.match(/<script/g)).toHaveLength(1);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('shows the page to link-preview crawlers without counting them as visits', async () => {
    const crawlers = [
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'WhatsApp/2.23.20.0 A',
      'Twitterbot/1.0',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'TelegramBot (like TwitterBot)',
      'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
      'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    ];
    const before = await visits();
    for (const [i, agent] of crawlers.entries()) {
      const res = await open(`/r/palarnia-kawy/${code}`, { 'user-agent': agent }, `192.0.2.${i}`);
      expect(res.statusCode, agent).toBe(200);
      expect(meta(res.body, 'og:title'), agent).toContain('Ania poleca Ci');
    }
    const head = await open(`/r/palarnia-kawy/${code}`, {}, '192.0.2.99', 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(await visits()).toBe(before);
    // A person from the same address as a crawler is still counted.
    await open(`/r/palarnia-kawy/${code}`, {}, '192.0.2.0');
    expect(await visits()).toBe(before + 1);
  });

  it('escapes a hostile first name everywhere it appears', async () => {
    const hostile = '<script>alert(1)</script>" onload="x';
    await signUp(t, shop, 'zly', { firstName: hostile });
    const evil = await codeOf(t, shop, 'zly');
    const res = await open(`/r/palarnia-kawy/${evil}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).not.toContain('" onload="');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x');
    expect(meta(res.body, 'og:title')).toBe(
      `${hostile} poleca Ci sklep Palarnia Kawy: 15 zł na pierwsze zamówienie`,
    );
    expect(res.body.match(/<script/g)).toHaveLength(1);
  });

  it('redirects as before for a campaign set to redirect, and keeps the setting when PUT leaves it out', async () => {
    const put = (body: object) =>
      call(t, shop, 'PUT', `/v1/referral-campaigns/${campaignId}`, {
        name: 'Poleć kawę',
        settings: { friendDiscount: { kind: 'fixed', amount: 1500 } },
        ...body,
      });
    expect((await put({ landing: 'redirect' })).json().landing).toBe('redirect');
    expect((await put({})).json().landing).toBe('redirect');
    const listed = await call(t, shop, 'GET', '/v1/referral-campaigns');
    expect(listed.json()[0].landing).toBe('redirect');
    const res = await open(`/r/palarnia-kawy/${code}`, {}, '198.51.100.20');
    expect(res.statusCode).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(location.searchParams.get('lojal_ref')).toBe(code);
    expect(location.searchParams.get('lojal_visit')).toMatch(/^rfv_/);
    // A crawler following a redirecting link is not counted either.
    const before = await visits();
    await open(`/r/palarnia-kawy/${code}`, { 'user-agent': 'Twitterbot/1.0' }, '198.51.100.21');
    expect(await visits()).toBe(before);
    expect((await put({ landing: 'page' })).json().landing).toBe('page');
    expect((await open(`/r/palarnia-kawy/${code}`)).statusCode).toBe(200);
    const bad = await put({ landing: 'popup' });
    expect(bad.statusCode).toBe(400);
  });

  it("never shows another shop's page for a link of this shop", async () => {
    await campaign(
      t,
      other,
      { friendDiscount: { kind: 'fixed', amount: 9900 } },
      'Obca kampania',
      'page',
    );
    await signUp(t, other, 'podszywacz', { firstName: 'Podszywacz' });
    await t.db
      .updateTable('referral_codes')
      .set({ code, code_key: code.replace(/[^A-Z0-9]/gi, '').toUpperCase() })
      .where('shop_id', '=', other.id)
      .execute();
    for (const url of [`/r/${code}`, `/r/palarnia-kawy/${code}`]) {
      const res = await open(url);
      expect(text(res.body), url).toContain('Ania poleca Ci sklep Palarnia Kawy');
      expect(res.body, url).not.toContain('Konkurencja');
    }
    const theirs = await open(`/r/konkurencja/${code}`);
    expect(text(theirs.body)).toContain('Podszywacz poleca Ci sklep Konkurencja');
  });

  it('stops working once the referrer is erased, and hands the link to no other shop', async () => {
    await signUp(t, shop, 'ola', { firstName: 'Ola' });
    const olas = await codeOf(t, shop, 'ola');
    expect((await open(`/r/palarnia-kawy/${olas}`)).statusCode).toBe(200);
    const erased = await call(t, shop, 'POST', '/v1/customers/ola/erasure', {
      reason: 'prośba klientki e-mailem',
    });
    expect(erased.statusCode, erased.body).toBe(202);
    await t.processor.drain();
    expect((await open(`/r/palarnia-kawy/${olas}`)).statusCode).toBe(404);
    expect((await open(`/r/${olas}`)).statusCode).toBe(404);
    const squat = await call(t, other, 'POST', '/v1/affiliates', {
      name: 'squatter',
      commissionPercent: 1,
      code: olas,
    });
    expect(squat.statusCode, squat.body).toBe(201);
    expect((await open(`/r/${olas}`)).statusCode).toBe(404);
    expect((await open(`/r/konkurencja/${olas}`)).statusCode).toBe(302);
    expect((await open(`/r/${olas}`, {}, '198.51.100.30', 'HEAD')).statusCode).toBe(404);
  });
});
