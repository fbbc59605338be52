import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestShop } from '../support/app.ts';
import { createMember } from '../support/accounts.ts';
import { orderPaid, send } from '../points/support.ts';
import { browserTestsRun, startHarness, type Harness } from './browser-harness.ts';

// The dashboard's security as a browser lives it: a page of another origin (same site: another
// port of 127.0.0.1, so SameSite=Lax still sends the cookie) cannot make a signed-in person's
// browser write, and a person in two shops sees each page of the menu ask only for the shop
// they chose.
const NOW = '2026-12-06T10:00:00Z';

let h: Harness;
let second: Awaited<ReturnType<typeof createTestShop>>;
let owner: { email: string; password: string };
let attacker: http.Server;
let attackerUrl: string;

/** A page of another origin that posts, on load, to the instance with the browser's cookie. */
function attackPage(target: string): string {
  // text/plain is the one type a form can send with a JSON-looking body.
  return `<!doctype html><html><body>
<form id="f" method="POST" action="${target}/v1/team/invitations" enctype="text/plain">
<input name='{"email":"intruz@example.pl","role":"owner","x":"' value='"}'>
</form>
<script>
fetch('${target}/v1/customers/ola/adjustments', {
  method: 'POST', credentials: 'include', mode: 'no-cors',
  headers: { 'content-type': 'text/plain' },
  body: JSON.stringify({ points: 100000, reason: 'csrf' }),
}).catch(() => {}).finally(() => document.getElementById('f').submit());
</script></body></html>`;
}

describe.skipIf(!browserTestsRun)('the dashboard against a hostile page and across shops', () => {
  beforeAll(async () => {
    h = await startHarness({
      now: NOW,
      shopName: 'Palarnia Pierwsza',
      seed: async (t, shop) => {
        await send(t, shop, orderPaid('o-1', 'ola', '2026-12-01T12:00:00Z', { total: 5_000 }));
      },
    });
    second = await createTestShop(h.t, 'Cukiernia Druga');
    await send(h.t, second, orderPaid('o-9', 'basia', '2026-12-01T12:00:00Z', { total: 7_000 }));
    owner = await createMember(h.t, h.shop.id, 'owner', 'dwa@palarnia.pl');
    await createMember(h.t, second.id, 'owner', 'dwa@palarnia.pl');
    attacker = http.createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(attackPage(h.base));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  }, 120_000);
  afterAll(async () => {
    attacker?.close();
    await h?.close();
  });

  it('a page of another origin cannot write with the signed-in browser (CSRF): nothing changes', async () => {
    const { context, page } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email, owner.password);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    const answers: number[] = [];
    page.on('response', (r) => {
      // The attack's writes (the dashboard's own reads may still be answering).
      if (r.url().startsWith(`${h.base}/v1/`) && r.request().method() === 'POST') {
        answers.push(r.status());
      }
    });
    await page.goto(attackerUrl);
    // The form's navigation lands on the instance's answer.
    await page.waitForURL(`${h.base}/v1/team/invitations`);
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(answers.every((status) => status === 403 || status === 415)).toBe(true);
    const invitations = await h.t.db.selectFrom('invitations').select('id').execute();
    expect(invitations).toEqual([]);
    const adjustments = await h.t.db
      .selectFrom('point_entries')
      .select('id')
      .where('kind', '=', 'adjust')
      .execute();
    expect(adjustments).toEqual([]);
    // The person is still signed in, and their own writes from the dashboard still work.
    await page.goto(`${h.base}/admin/`);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await context.close();
  }, 60_000);

  it('a person in two shops: every page of the menu asks only for the chosen shop, and shows none of the other', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    const asked: Array<{ url: string; shop: string | null }> = [];
    page.on('request', (request: Request) => {
      if (!request.url().startsWith(`${h.base}/v1/`)) return;
      asked.push({ url: request.url(), shop: request.headers()['lojal-shop'] ?? null });
    });
    await h.signInAs(page, owner.email, owner.password);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();

    const walk = async (shopId: string, foreignText: string) => {
      const menu = page.getByRole('navigation');
      const names = await menu.getByRole('link').allInnerTexts();
      expect(names.length).toBeGreaterThan(1);
      for (const name of names) {
        asked.length = 0;
        await menu.getByRole('link', { name, exact: true }).click();
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        const shopRequests = asked.filter(
          (a) => !/\/v1\/(me|session)(\/|\?|$)/.test(new URL(a.url).pathname),
        );
        expect(
          shopRequests.filter((a) => a.shop !== shopId),
          `${name}: a request for another shop`,
        ).toEqual([]);
        expect(await page.locator('main').innerText(), name).not.toContain(foreignText);
      }
    };

    const chooseShop = async (name: string) => {
      await page.getByTestId('shop-switch').click();
      await page.getByRole('option', { name }).click();
      await expect.poll(() => page.getByTestId('shop-switch').inputValue()).toBe(name);
      await page.getByRole('navigation').getByRole('link', { name: 'Home', exact: true }).click();
      await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    };
    // The shop the browser starts in is one of the two; walk both, in turn.
    await chooseShop('Palarnia Pierwsza');
    await walk(h.shop.id, 'Cukiernia Druga');
    await chooseShop('Cukiernia Druga');
    await walk(second.id, 'Palarnia Pierwsza');
    expect(complaints.filter((c) => !/status of 40[34]/.test(c))).toEqual([]);
    await context.close();
  }, 120_000);
});
