import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DIR } from '../../src/app/dashboard-build.ts';
import { bearer, fixedClock } from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { hostPageHtml } from './host-page.ts';
import {
  browserTestsRun,
  startStorefrontHarness,
  type Shop,
  type StorefrontHarness,
} from './storefront-harness.ts';

/*
 * Social proof and reviews on a shop's product page, in Debian's Chromium: the page is the
 * harness's aggressive shop page with a product section, served from an origin of its own.
 */
const NOW = '2026-04-01T12:00:00Z';
const SHOTS = process.env.LOJAL_SHOTS;
const BUYERS = [
  ['anna', 'Anna', 'Kraków'],
  ['bartek', 'Bartosz', 'Kraków'],
  ['celina', 'Celina', 'Kraków'],
  ['darek', 'Dariusz', 'Gdańsk'],
] as const;
const NAMES = ['Anna', 'Bartosz', 'Celina', 'Dariusz', 'Nowak', 'Kowalska'];
const HIDDEN_KEY = 'lojal:social-proof:hidden';
// An 8×8 PNG in the colour of roasted coffee, uploaded with a review.
const PHOTO =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGPI9zPHihiGlgQA5CE9AdlvgpMAAAAASUVORK5CYII=';

let h: StorefrontHarness;
let page$: { origin: string; server: Server };
let axeSource: string;

/** The product page: the shop's page with a product section and its reviews block. */
function productPage(lojal: string, shopId: string, lang: string): string {
  const product = `<section class="pdp" id="pdp"><h2 id="pdp-name">Etiopia Yirgacheffe</h2>
<p id="pdp-price">49,00 zł</p><button type="button" id="pdp-buy">Do koszyka</button>
<div data-lojal-reviews data-product="etiopia" data-product-name="Etiopia Yirgacheffe" data-page-size="2"></div></section>`;
  return hostPageHtml({ lojal, shopId, lang }).replace('<main>', `<main>${product}`);
}

async function startProductPage(lojal: () => string, shopId: () => string) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://host');
    if (url.pathname !== '/') return void response.writeHead(204).end();
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(productPage(lojal(), shopId(), url.searchParams.get('lang') ?? 'pl'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function seed(t: StorefrontHarness['t'], shop: Shop) {
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/social-proof/settings',
    headers: bearer(shop.apiKey),
    payload: {
      enabled: true,
      showFirstNames: true,
      messages: ['bought_today', 'recent_city', 'recent_name'],
    },
  });
  expect(put.statusCode, put.body).toBe(200);
  await send(
    t,
    shop,
    ...BUYERS.map(([id, firstName, city], i) =>
      orderPaid(`o-${id}`, { id, firstName, lastName: 'Nowak' }, `2026-04-01T0${i + 6}:00:00Z`, {
        total: 4900,
        lines: [{ productId: 'etiopia', quantity: 1, price: 4900 }],
        shippingAddress: { line1: 'Długa 1', city, postalCode: '00-001', country: 'PL' },
      } as never),
    ),
  );
  // Written on different days, the one with a photo last (the newest).
  const reviews: Array<
    [string, string, number, string | null, string, 'approve' | 'reject' | null]
  > = [
    ['2026-03-27', 'darek', 1, null, 'CZEKA NA MODERACJĘ', null],
    ['2026-03-28', 'celina', 3, 'Poprawna', 'Trochę za kwaśna dla mnie.', 'approve'],
    ['2026-03-29', 'bartek', 4, null, 'Dobra, choć wolę ciemniejsze palenie.', 'approve'],
    ['2026-03-30', 'anna', 2, null, 'ODRZUCONA OPINIA', 'reject'],
    [
      '2026-03-31',
      'anna',
      5,
      'Najlepsza kawa',
      'Kwiatowa, lekka, idealna do dripa. PHOTO',
      'approve',
    ],
  ];
  const clock = t.clock as ReturnType<typeof fixedClock>;
  for (const [day, customerId, rating, title, body, decision] of reviews) {
    clock.set(`${day}T10:00:00Z`);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/reviews',
      headers: bearer(shop.apiKey),
      payload: {
        customerId,
        productId: 'etiopia',
        rating,
        body: body.replace(' PHOTO', ''),
        ...(title && { title }),
        ...(body.endsWith('PHOTO') && { photo: PHOTO }),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    if (decision) {
      const done = await t.app.inject({
        method: 'POST',
        url: `/v1/reviews/${res.json().id}/${decision}`,
        headers: bearer(shop.apiKey),
        payload: {},
      });
      expect(done.statusCode, done.body).toBe(200);
    }
  }
  clock.set(NOW);
}

async function open(lang: 'pl' | 'en', width = 1280) {
  const context = await h.browser.newContext({
    locale: lang === 'en' ? 'en-GB' : 'pl-PL',
    timezoneId: 'Europe/Warsaw',
    viewport: { width, height: width < 600 ? 844 : 900 },
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(NOW));
  const complaints: string[] = [];
  page.on('pageerror', (error) => complaints.push(error.message));
  page.on('console', (m) => m.type() === 'error' && complaints.push(m.text()));
  await page.goto(`${page$.origin}/?lang=${lang}`);
  return { context, page, complaints };
}

const toastText = (page: Page) => page.locator('lojal-social-proof .toast .text');
const reviewsBlock = (page: Page) => page.locator('[data-lojal-reviews] .block');

/** Every text the toast shows within `ms`, in order. */
async function toastTexts(page: Page, ms: number): Promise<string[]> {
  const seen: string[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const visible = await toastText(page)
      .isVisible()
      .catch(() => false);
    const text = visible ? ((await toastText(page).textContent()) ?? '') : '';
    if (text && seen.at(-1) !== text) seen.push(text);
    await page.waitForTimeout(200);
  }
  return seen;
}

async function onsiteViolations(page: Page): Promise<string[]> {
  await page.evaluate(() =>
    Promise.all(
      Array.from(document.querySelectorAll('lojal-social-proof, [data-lojal-reviews]'))
        .flatMap((n) => n.shadowRoot?.getAnimations() ?? [])
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: object, o: object) => Promise<unknown> } })
      .axe;
    const include = ['lojal-social-proof', '[data-lojal-reviews]']
      .filter((s) => document.querySelector(s))
      .map((s) => [s]);
    return (await axe.run({ include }, { resultTypes: ['violations'] })) as {
      violations: { id: string; impact: string; nodes: { target: unknown[] }[] }[];
    };
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  await page.screenshot({ path: path.join(SHOTS, `${name}-full.png`), fullPage: true });
}

describe.skipIf(!browserTestsRun)('social proof and reviews on a product page', () => {
  beforeAll(async () => {
    let lojal = '';
    let shopId = '';
    page$ = await startProductPage(
      () => lojal,
      () => shopId,
    );
    h = await startStorefrontHarness({ now: NOW, shopName: 'Palarnia Kawy', seed });
    lojal = h.base;
    shopId = h.shop.id;
    // The product page's origin is one more of the shop's storefront origins (CORS).
    const patch = await h.t.app.inject({
      method: 'PATCH',
      url: '/v1/shop',
      headers: bearer(h.shop.apiKey),
      payload: { storefrontOrigins: [h.shopOrigin, page$.origin] },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    axeSource = await readFile(
      createRequire(path.join(DASHBOARD_DIR, 'package.json')).resolve('axe-core/axe.min.js'),
      'utf8',
    );
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => page$?.server.close(resolve));
  });

  it('shows the counts and the city, never a name of a customer without consent (pl, 1280 px)', async () => {
    const { context, page, complaints } = await open('pl');
    const texts = await toastTexts(page, 16_000);
    expect(texts).toEqual(['4 osoby kupiły to dziś', 'Ostatnio kupione w Krakowie']);
    const shadowText = await page.evaluate(
      () => document.querySelector('lojal-social-proof')?.shadowRoot?.textContent ?? '',
    );
    for (const name of NAMES) {
      expect(texts.join(' ')).not.toContain(name);
      expect(shadowText).not.toContain(name);
    }
    expect(complaints).toEqual([]);
    await context.close();
  }, 40_000);

  it('is a polite live region at the bottom left that never covers the launcher (pl and en, 390 px)', async () => {
    for (const lang of ['pl', 'en'] as const) {
      const { context, page } = await open(lang, 390);
      await toastText(page).waitFor({ state: 'visible', timeout: 12_000 });
      expect(await toastText(page).textContent()).toBe(
        lang === 'pl' ? '4 osoby kupiły to dziś' : '4 people bought this today',
      );
      const region = page.locator('lojal-social-proof [role="status"]');
      expect(await region.getAttribute('aria-live')).toBe('polite');
      await reviewsBlock(page)
        .getByText(lang === 'pl' ? '3 opinie' : '3 reviews')
        .waitFor();
      const toast = (await page.locator('lojal-social-proof .toast').boundingBox())!;
      const launcher = (await h.launcher(page).boundingBox())!;
      const overlaps =
        toast.x < launcher.x + launcher.width &&
        launcher.x < toast.x + toast.width &&
        toast.y < launcher.y + launcher.height &&
        launcher.y < toast.y + toast.height;
      expect(overlaps).toBe(false);
      expect(toast.x).toBeLessThan(40);
      expect(toast.x + toast.width).toBeLessThanOrEqual(390);
      expect(await onsiteViolations(page)).toEqual([]);
      await shot(page, `product-${lang}-390`);
      if (SHOTS) {
        await page.locator('lojal-social-proof .close').click();
        await reviewsBlock(page).screenshot({
          path: path.join(SHOTS, `product-${lang}-390-reviews.png`),
        });
      }
      await context.close();
    }
  }, 60_000);

  it('can be hidden for good: remembered in localStorage, not a cookie, still hidden after reload', async () => {
    const { context, page } = await open('pl');
    await toastText(page).waitFor({ state: 'visible', timeout: 12_000 });
    await page
      .locator('lojal-social-proof')
      .getByRole('button', { name: 'Nie pokazuj więcej' })
      .click();
    await expect.poll(() => toastText(page).isVisible()).toBe(false);
    expect(await page.evaluate((key) => localStorage.getItem(key), HIDDEN_KEY)).toBe('1');
    expect(await context.cookies()).toEqual([]);

    const asked: string[] = [];
    page.on('request', (r) => asked.push(r.url()));
    await page.reload();
    // The chunks have run (the reviews are there), and the first note would be due by now.
    await reviewsBlock(page).getByText('3 opinie').waitFor({ timeout: 12_000 });
    await page.waitForTimeout(4000);
    expect(
      await toastText(page)
        .isVisible()
        .catch(() => false),
    ).toBe(false);
    expect(asked.some((u) => u.includes('/widget/social-proof-'))).toBe(true);
    expect(asked.some((u) => u.includes('/social-proof?'))).toBe(false);
    await context.close();
  }, 40_000);

  for (const lang of ['pl', 'en'] as const) {
    it(`shows the reviews' stars and puts JSON-LD matching them into the page (${lang}, 1280 px)`, async () => {
      const { context, page, complaints } = await open(lang);
      const block = reviewsBlock(page);
      await block.getByText(lang === 'pl' ? '3 opinie' : '3 reviews').waitFor({ timeout: 12_000 });
      const api = (
        await h.t.app.inject({
          method: 'GET',
          url: `/storefront/v1/shops/${h.shop.id}/reviews?product=etiopia&pageSize=2&locale=${lang}`,
        })
      ).json() as {
        product: { rating: { average: number; count: number } };
        reviews: Array<{ rating: number; author: string }>;
      };
      expect(api.product.rating).toMatchObject({ average: 4, count: 3 });
      const average = lang === 'pl' ? '4,0' : '4.0';
      await expect
        .poll(() =>
          block
            .getByRole('img', {
              name: lang === 'pl' ? `Ocena ${average} na 5` : `Rated ${average} out of 5`,
            })
            .count(),
        )
        .toBe(1);
      // Newest first, two a page: the approved ones only.
      const authors = await block.locator('.review .author').allTextContents();
      expect(authors).toEqual(api.reviews.map((r) => r.author));
      const text = (await block.textContent()) ?? '';
      expect(text).not.toContain('CZEKA NA MODERACJĘ');
      expect(text).not.toContain('ODRZUCONA');

      const ld = JSON.parse(
        (await page
          .locator('head script[type="application/ld+json"][data-lojal-reviews-ld="etiopia"]')
          .textContent())!,
      );
      expect(ld).toMatchObject({
        '@type': 'Product',
        name: 'Etiopia Yirgacheffe',
        aggregateRating: { '@type': 'AggregateRating', ratingValue: 4, reviewCount: 3 },
      });
      expect(
        ld.review.map((r: { reviewRating: { ratingValue: number } }) => r.reviewRating.ratingValue),
      ).toEqual(api.reviews.map((r) => r.rating));
      expect(ld.review.map((r: { author: { name: string } }) => r.author.name)).toEqual(authors);

      await toastText(page).waitFor({ state: 'visible', timeout: 12_000 });
      expect(await onsiteViolations(page)).toEqual([]);
      await shot(page, `product-${lang}-1280`);

      // Sorting (photos first) and paging.
      await block.getByRole('combobox').selectOption('photos');
      const photo = block.locator('.review').first().locator('img');
      await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(8);
      expect(await photo.getAttribute('alt')).toBe(
        lang === 'pl' ? 'Zdjęcie od: Anna N.' : 'Photo by Anna N.',
      );
      await block.getByRole('combobox').selectOption('lowest');
      await expect
        .poll(() => block.locator('.review .author').first().textContent())
        .toBe('Celina N.');
      await block.getByRole('button', { name: lang === 'pl' ? 'Następna' : 'Next' }).click();
      await expect
        .poll(() => block.locator('.review .author').allTextContents())
        .toEqual(['Anna N.']);
      await expect
        .poll(() => block.getByText(lang === 'pl' ? 'Strona 2 z 2' : 'Page 2 of 2').count())
        .toBe(1);
      await block.getByRole('button', { name: lang === 'pl' ? 'Poprzednia' : 'Previous' }).click();
      await expect
        .poll(() => block.locator('.review .author').first().textContent())
        .toBe('Celina N.');
      expect(complaints).toEqual([]);
      await context.close();
    }, 40_000);
  }
});
