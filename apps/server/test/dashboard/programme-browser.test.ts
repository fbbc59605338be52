import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../support/accounts.ts';
import type { TestApp } from '../support/app.ts';
import { ledger, orderPaid, points, send } from '../points/support.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// The programme page in a browser, on the real app and database: a marketer changes the spend
// rule in a draft (a wrong value first: the server's error next to the field), saves, sees
// the backtest against the live programme, publishes after a confirmation, and a new order
// then earns by the new rule; the history shows what changed and the audit log the publish.
// An analyst sees the programme read-only, and the API refuses their write.
const NOW = '2026-12-06T10:00:00Z';

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let marketer: { email: string };
let analyst: { email: string };

describe.skipIf(!browserTestsRun)('the programme page in a browser', () => {
  beforeAll(async () => {
    h = await startHarness({
      now: NOW,
      shopName: 'Herbaciarnia',
      // Live programme: 1 point a złoty. 100 + 50 + 20 zł in the last 30 days, two customers.
      seed: async (app, s) => {
        await send(
          app,
          s,
          orderPaid('o-1', 'ola', '2026-12-01T12:00:00Z', { total: 10_000 }),
          orderPaid('o-2', 'jan', '2026-11-25T12:00:00Z', { total: 5_000 }),
          orderPaid('o-3', 'ola', '2026-11-20T12:00:00Z', { total: 2_000 }),
        );
      },
    });
    ({ t, base, shop } = h);
    marketer = await createMember(t, shop.id, 'marketer', 'ewa@herbaciarnia.pl');
    analyst = await createMember(t, shop.id, 'analyst', 'adam@herbaciarnia.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('a marketer changes a rule in a draft, sees the backtest, publishes, and a new order earns by it', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, marketer.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Programme' }).click();
    await page.getByRole('heading', { name: 'Programme', level: 1 }).waitFor();
    // Off the menu: the active link under the pointer is the layout's hover shade, not this page.
    await page.mouse.move(900, 10);
    const plain = page.getByTestId('plain-words');
    await expect.poll(() => plain.innerText()).toContain('1 point for every złoty spent');
    expect(await plain.innerText()).toContain('can be used after 14 days');
    await page.getByTestId('version-1').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The form is generated from the spend rule's args schema; a value over its maximum is
    // refused by the server, and the error sits next to the field.
    const perUnit = page.getByTestId('field-rules.0.args.pointsPerUnit');
    expect(await perUnit.inputValue()).toBe('1');
    await perUnit.fill('20000');
    const refused = page.waitForResponse((r) => r.url().endsWith('/v1/programme/draft'));
    await page.getByRole('button', { name: 'Save the draft' }).click();
    expect((await refused).status()).toBe(400);
    await expect.poll(() => perUnit.getAttribute('aria-invalid')).toBe('true');
    const described = (await perUnit.getAttribute('aria-describedby')) ?? '';
    const errorId = described.split(' ').find((id) => id.endsWith('-error'));
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toMatch(/10000|10,000/);
    expect(await t.db.selectFrom('programme_versions').select('version').execute()).toHaveLength(1);

    // 2 points a złoty, and a first-order bonus added from the registry's list.
    await perUnit.fill('2');
    await page.getByTestId('add-kind').click();
    await page.getByRole('option', { name: 'First order bonus' }).click();
    await page.getByRole('button', { name: 'Add the rule' }).click();
    await page.locator('[data-testid^="field-rules.1.args.points"]').fill('25');
    await expect.poll(() => plain.innerText()).toContain('2 points for every złoty spent');
    expect(await plain.innerText()).toContain('25 bonus points for the first order');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.getByText('Draft saved: version 2').waitFor();
    const draft = await t.db
      .selectFrom('programme_versions')
      .select('programme')
      .where('shop_id', '=', shop.id)
      .where('published_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect((draft.programme as { rules: { code: string; args: object }[] }).rules).toMatchObject([
      { code: 'spend', args: { pointsPerUnit: 2 } },
      { code: 'first_order', args: { points: 25 } },
    ]);

    // The backtest: 170 points live, 340 + 25 × 2 first orders = 390 under the draft; at
    // 5 grosze a point, 8.50 zł against 19.50 zł; both customers affected.
    await page.getByRole('button', { name: 'Run the backtest' }).click();
    const result = page.getByTestId('backtest-result');
    await result.waitFor();
    await page.locator('[data-testid="backtest-chart"][data-ready="true"]').waitFor();
    expect(await page.getByTestId('backtest-points').innerText()).toMatch(
      /390 points[\s\S]*live programme: 170/,
    );
    expect(await page.getByTestId('backtest-difference').innerText()).toContain('+220');
    expect(await page.getByTestId('backtest-cost').innerText()).toMatch(
      /PLN\s19\.50[\s\S]*PLN\s8\.50/,
    );
    expect(await page.getByTestId('backtest-affected').innerText()).toMatch(
      /2[\s\S]*of 2 customers/,
    );
    expect(await result.innerText()).toContain('3 orders of 2 customers');
    await page.mouse.move(900, 10);
    expect(await seriousViolations(page)).toEqual([]);

    // Publish, after a confirmation.
    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish the draft?' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByTestId('published').waitFor();
    await page.getByText('Live: version 2').waitFor();
    const version2 = page.getByTestId('version-2');
    await version2.waitFor();
    expect(await version2.innerText()).toMatch(/Version 2, published .* by Test marketer/);
    expect(await version2.innerText()).toContain('Points per 1 unit of currency 1 → 2');
    expect(await version2.innerText()).toContain('Added: First order bonus');

    // A new order of a new customer: 2 points a złoty and the first-order bonus, version 2.
    await send(t, shop, orderPaid('o-new', 'iga', '2026-12-06T09:30:00Z', { total: 4_000 }));
    expect((await points(t, shop, 'iga')).pending).toBe(80 + 25);
    const entries = await ledger(t, shop, 'iga');
    expect(entries.map((e) => e.points).sort((a, b) => a - b)).toEqual([25, 80]);
    expect(entries.every((e) => JSON.stringify(e.cause).includes('2'))).toBe(true);

    // The audit log has the publish, by the marketer, with the state before and after.
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('action', '=', 'POST /v1/programme/draft/publish')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: 'user', actor_name: 'Test marketer' });
    expect(JSON.stringify(audit[0]!.after)).toContain('"version":2');
    expect(complaints.filter((c) => !/status of 400/.test(c))).toEqual([]);
    await context.close();
  }, 90_000);

  it('an analyst sees the programme read-only, without edit controls, and the API refuses a write (403)', async () => {
    const { context, page, complaints } = await h.newPage('pl-PL');
    await h.signInAs(page, analyst.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await page.goto(`${base}/admin/programme`);
    await page.getByRole('heading', { name: 'Program lojalnościowy', level: 1 }).waitFor();
    await page.getByTestId('read-only').waitFor();
    await expect
      .poll(() => page.getByTestId('plain-words').innerText())
      .toContain('2 punkty za każdą złotówkę');
    expect(await page.getByTestId('plain-words').innerText()).toContain(
      'do wykorzystania po 14 dniach',
    );
    await page.getByTestId('version-2').waitFor();
    const main = page.locator('main');
    expect(await main.getByRole('button').count()).toBe(0);
    expect(await main.locator('input, select, textarea').count()).toBe(0);
    expect(await main.innerText()).toMatch(/Punkty za 1 jednostkę waluty:\s*2/);
    expect(await seriousViolations(page)).toEqual([]);

    const status = await page.evaluate(async (shopId) => {
      const res = await fetch('/v1/programme/draft', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'lojal-shop': shopId },
        body: JSON.stringify({ rules: [] }),
      });
      return res.status;
    }, shop.id);
    expect(status).toBe(403);
    const drafts = await t.db
      .selectFrom('programme_versions')
      .select('version')
      .where('shop_id', '=', shop.id)
      .where('published_at', 'is', null)
      .execute();
    expect(drafts).toEqual([]);
    expect(complaints.filter((c) => !/status of 403/.test(c))).toEqual([]);
    await context.close();
  }, 45_000);

  it.skipIf(!takingShots)(
    'screenshots: the programme page in both languages at 1280 and 390 px',
    async () => {
      // One sign-in per language (sign-ins are throttled per address), then both widths.
      for (const [locale, lang] of [
        ['en-GB', 'en'],
        ['pl-PL', 'pl'],
      ] as const) {
        const { context, page } = await h.newPage(locale, 1280);
        await h.signInAs(page, marketer.email);
        await page.getByRole('heading', { name: /^(Home|Pulpit)$/, level: 1 }).waitFor();
        await page.goto(`${base}/admin/programme`);
        await page.getByTestId('version-2').waitFor();
        // A draft with a change, and its backtest.
        await page.getByTestId('field-rules.0.args.pointsPerUnit').fill('3');
        await page.getByRole('button', { name: /^(Save the draft|Zapisz szkic)$/ }).click();
        await page.getByRole('button', { name: /^(Run the backtest|Uruchom symulację)$/ }).click();
        await page.locator('[data-testid="backtest-chart"][data-ready="true"]').waitFor();
        await page.mouse.move(900, 10);
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.waitForTimeout(200); // the chart follows the window's size
          await h.shot(page, `programme-${lang}-${width}`);
        }
        await page.getByRole('button', { name: /^(Discard the draft|Odrzuć szkic)$/ }).click();
        await page.getByTestId('backtest-result').waitFor({ state: 'detached' });
        await context.close();
      }
      const { context, page } = await h.newPage('pl-PL', 390);
      await h.signInAs(page, analyst.email);
      await page.getByRole('heading', { name: /^(Home|Pulpit)$/, level: 1 }).waitFor();
      await page.goto(`${base}/admin/programme`);
      await page.getByTestId('version-2').waitFor();
      await h.shot(page, 'programme-analyst-pl-390');
      await context.close();
    },
    120_000,
  );
});

const seriousViolations: Harness['seriousViolations'] = (...a) => h.seriousViolations(...a);
