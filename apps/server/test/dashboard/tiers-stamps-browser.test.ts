import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createMember } from '../support/accounts.ts';
import type { TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { silverAndGold } from '../tiers/support.ts';
import {
  browserTestsRun,
  startHarness,
  statusesFromPage,
  takingShots,
  type Harness,
} from './browser-harness.ts';

// The tiers editor and the stamp cards page, driven in Chromium against the real app: a
// threshold change previewed on seven seeded customers, saved, and counted; a stamp card made
// and edited (Polish plurals); a staff device added with its token shown once, then revoked;
// an analyst who sees everything read-only and whose API writes are refused (403).
//
// | customer | spend in the last 12 months  | tier now      |
// | -------- | ---------------------------- | ------------- |
// | ala      | 1,500 zł (two orders)        | Silver        |
// | bartek   | 3,200 zł                     | Gold          |
// | celina   | 900 zł                       | none          |
// | darek    | 500 zł                       | none          |
// | ewa      | nothing                      | none          |
// | filip    | 1,200 zł, 14 months ago      | none          |
// | gosia    | 100 zł                       | Gold, by hand |
const NOW = '2026-09-01T10:00:00Z';

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let owner: { email: string };
let analyst: { email: string };

async function open(page: Page, path: string, heading: string | RegExp) {
  await page.goto(`${base}/admin${path}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

async function audited(action: string) {
  return t.db
    .selectFrom('audit_log')
    .select(['actor_type', 'actor_name', 'action', 'target_id', 'before', 'after'])
    .where('shop_id', '=', shop.id)
    .where('action', '=', action)
    .execute();
}

describe.skipIf(!browserTestsRun)('tiers and stamp cards in a browser', () => {
  beforeAll(async () => {
    h = await startHarness({
      now: NOW,
      shopName: 'Kawiarnia Pod Lipą',
      seed: async (app, s) => {
        expect((await call(app, s, 'PUT', '/v1/tiers', silverAndGold)).statusCode).toBe(200);
        const at = '2026-09-01T09:00:00Z';
        await send(
          app,
          s,
          orderPaid('o-ala-1', 'ala', '2026-03-01T09:00:00Z', { total: 100_000 }),
          orderPaid('o-ala-2', 'ala', at, { total: 50_000 }),
          orderPaid('o-bartek', 'bartek', at, { total: 320_000 }),
          orderPaid('o-celina', 'celina', at, { total: 90_000 }),
          orderPaid('o-darek', 'darek', at, { total: 50_000 }),
          { type: 'customer.created', id: 'c-ewa', data: { id: 'ewa' } },
          orderPaid('o-filip', 'filip', '2025-07-01T09:00:00Z', { total: 120_000 }),
          orderPaid('o-gosia', 'gosia', at, { total: 10_000 }),
        );
        const manual = await call(app, s, 'POST', '/v1/customers/gosia/tier', {
          tierId: 'gold',
          reason: 'ambasadorka',
        });
        expect(manual.statusCode).toBe(201);
      },
    });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@podlipa.pl');
    analyst = await createMember(t, shop.id, 'analyst', 'analityk@podlipa.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('an owner previews a threshold change on the seeded customers, saves it, and sees the members', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Tiers' }).click();
    await page.getByRole('heading', { name: 'VIP tiers', level: 1 }).waitFor();
    await page.mouse.move(640, 10); // off the menu entry, whose hover colour axe would judge

    // Members now: Silver 1 (ala), Gold 2 (bartek, gosia by hand), no tier 4 of 7.
    await expect.poll(() => page.getByTestId('members-silver').innerText()).toBe('1');
    expect(await page.getByTestId('members-gold').innerText()).toBe('2 (1 by hand)');
    expect(await page.getByTestId('members-none').innerText()).toBe('4');
    expect(await page.getByTestId('tier-members').innerText()).toMatch(/PLN\s1,000\.00/);
    // The saved thresholds move nobody.
    await expect
      .poll(() => page.getByTestId('tier-preview-summary').innerText())
      .toBe('With these thresholds 0 customers would move up and 0 customers down.');
    expect(await h.seriousViolations(page)).toEqual([]);

    // Silver from 1,000 to 850 zł (retain 600); Gold retained from 3,500 zł, entered at 4,000.
    const silver = page.getByTestId('tier-1');
    const gold = page.getByTestId('tier-2');
    await silver.getByLabel(/^Entry threshold/).fill('850');
    await silver.getByLabel(/^Retain threshold/).fill('600');
    await gold.getByLabel(/^Entry threshold/).fill('4000');
    await gold.getByLabel(/^Retain threshold/).fill('3500');
    // celina (900 zł) moves up; bartek (3,200 zł) drops to Silver at his review; gosia stays.
    await expect
      .poll(() => page.getByTestId('tier-preview-summary').innerText())
      .toBe('With these thresholds 1 customer would move up and 1 customer down.');
    await expect.poll(() => page.getByTestId('preview-silver').innerText()).toMatch(/1\s+3$/);
    expect(await page.getByTestId('preview-gold').innerText()).toMatch(/2\s+1$/);
    expect(await page.getByTestId('preview-none').innerText()).toMatch(/4\s+3$/);
    expect(await page.getByTestId('tier-preview').innerText()).toContain(
      '1 customer holds a tier by hand and stays.',
    );

    // A bad threshold is named next to its field, from the server's errors[].path.
    await gold.getByLabel(/^Entry threshold/).fill('500');
    await expect
      .poll(() => gold.innerText())
      .toContain("must be above the previous tier's (85000)");
    await gold.getByLabel(/^Entry threshold/).fill('4000');
    await expect
      .poll(() => page.getByTestId('tier-preview-summary').innerText())
      .toContain('1 customer would move up');

    await page.getByRole('button', { name: 'Save the tiers' }).click();
    await page.getByText('The tiers are saved.').waitFor();
    const saved = (await call(t, shop, 'GET', '/v1/tiers')).json();
    expect(
      saved.tiers.map((tier: { entryThreshold: number; retainThreshold: number }) => [
        tier.entryThreshold,
        tier.retainThreshold,
      ]),
    ).toEqual([
      [85_000, 60_000],
      [400_000, 350_000],
    ]);
    // The seed's save was the API key's; this one is the owner's.
    const entries = (await audited('PUT /v1/tiers')).filter((e) => e.actor_type === 'user');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_type: 'user', actor_name: 'Test owner' });
    expect(JSON.stringify(entries[0]!.before)).toContain('100000');
    expect(JSON.stringify(entries[0]!.after)).toContain('85000');

    // Saving places nobody: celina moves up at her next order, and the counts show it.
    await send(t, shop, orderPaid('o-celina-2', 'celina', '2026-09-01T09:30:00Z', { total: 100 }));
    await page.reload();
    await expect.poll(() => page.getByTestId('members-silver').innerText()).toBe('2');
    expect(await page.getByTestId('members-none').innerText()).toBe('3');
    expect(await page.getByTestId('tier-members').innerText()).toMatch(/PLN\s850\.00/);
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(complaints.filter((c) => !/status of 400/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('an owner creates and edits a stamp card in Polish (1 pieczątka, 2 pieczątki, 10 pieczątek)', async () => {
    const { context, page, complaints } = await h.newPage('pl-PL');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Karty pieczątek' }).click();
    await page.getByRole('heading', { name: 'Karty pieczątek', level: 1 }).waitFor();
    await page.mouse.move(640, 10);
    await page.getByText('Nie ma jeszcze kart pieczątek.').waitFor();

    await page.getByRole('button', { name: 'Nowa karta pieczątek' }).click();
    // Nothing filled in: the server's field errors, next to the fields, in Polish.
    await page.getByLabel(/^Nazwa \(polska\)/).fill('Kawa');
    await page.getByRole('button', { name: 'Utwórz kartę' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Nowa karta pieczątek' }).innerText())
      .toContain('Wpisz co najmniej 1 znak.');
    await page.getByLabel(/^Nazwa \(angielska\)/).fill('Coffee');
    await page.getByLabel(/^Pieczątki potrzebne/).fill('10');
    await page.getByLabel(/^Pieczątki na klienta dziennie/).fill('1');
    await page.getByLabel(/^Co dostaje klient \(po polsku\)/).fill('Darmowa kawa');
    await page.getByLabel(/^Co dostaje klient \(po angielsku\)/).fill('Free coffee');
    await page.getByLabel(/^Identyfikator produktu/).fill('espresso');
    expect(await h.seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Utwórz kartę' }).click();
    await page.getByText('Karta „Kawa” utworzona.').waitFor();
    const row = page.locator('[data-testid="stamp-programmes"] tbody tr').first();
    await expect.poll(() => row.innerText()).toContain('10 pieczątek');
    expect(await row.innerText()).toContain('1 pieczątka dziennie');
    expect(await row.innerText()).toContain('Darmowa kawa (darmowy produkt espresso)');

    const [programme] = (await call(t, shop, 'GET', '/v1/stamp-cards')).json();
    expect(programme).toMatchObject({
      names: { pl: 'Kawa', en: 'Coffee' },
      stampsRequired: 10,
      earnBy: 'visit',
      dailyLimit: 1,
      reward: {
        type: 'coupon',
        name: { pl: 'Darmowa kawa', en: 'Free coffee' },
        discount: { kind: 'free_product', productId: 'espresso' },
        validDays: 30,
      },
      active: true,
    });

    // Edit: 2 stamps, 5 a day, 15 zł off from 40 zł.
    await page.getByRole('button', { name: 'Edytuj Kawa' }).click();
    await page.getByLabel(/^Pieczątki potrzebne/).fill('2');
    await page.getByLabel(/^Pieczątki na klienta dziennie/).fill('5');
    await page.getByLabel('Rabat', { exact: true }).first().click();
    await page.getByRole('option', { name: 'kwota rabatu' }).click();
    await page.getByLabel(/^Kwota rabatu/).fill('15');
    await page.getByLabel(/^Minimalny koszyk/).fill('40');
    await page.getByRole('button', { name: 'Zapisz kartę' }).click();
    await page.getByText('Karta „Kawa” zapisana.').waitFor();
    await expect.poll(() => row.innerText()).toContain('2 pieczątki');
    expect(await row.innerText()).toContain('5 pieczątek dziennie');
    expect(await row.innerText()).toMatch(/15,00\s*zł rabatu/);
    const [edited] = (await call(t, shop, 'GET', '/v1/stamp-cards')).json();
    expect(edited).toMatchObject({
      stampsRequired: 2,
      dailyLimit: 5,
      reward: { discount: { kind: 'fixed', amount: 1_500 }, minBasket: 4_000 },
    });

    expect(await audited('POST /v1/stamp-cards')).toMatchObject([
      { actor_type: 'user', target_id: programme.id },
    ]);
    const edits = await audited('PUT /v1/stamp-cards/:programmeId');
    expect(edits).toMatchObject([{ actor_type: 'user', target_id: programme.id }]);
    expect(JSON.stringify(edits[0]!.before)).toContain('"stampsRequired":10');
    expect(JSON.stringify(edits[0]!.after)).toContain('"stampsRequired":2');
    expect(complaints.filter((c) => !/status of 400/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('an owner adds a staff device, sees its token once, and revokes it after confirming', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await open(page, '/stamp-cards', 'Stamp cards');
    await page.getByText('No staff devices yet.').waitFor();

    await page.getByLabel(/^Name/).fill('Till 1');
    await page.getByLabel('Role', { exact: true }).first().click();
    await page.getByRole('option', { name: /^manager/ }).click();
    await page.getByRole('button', { name: 'Add the device' }).click();
    const shown = page.getByTestId('staff-token');
    await shown.waitFor();
    const token = (await shown.locator('pre').innerText()).trim();
    expect(token).toMatch(/^lojal_st_/);
    const row = await t.db
      .selectFrom('staff_members')
      .select(['id', 'role', 'token_hash', 'revoked_at'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('manager');
    expect(Buffer.from(row.token_hash).toString('hex')).toBe(
      createHash('sha256').update(token).digest('hex'),
    );
    await page.getByRole('button', { name: 'Copy the token' }).click();
    await page.getByRole('button', { name: 'Copied' }).first().waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await page.mouse.move(640, 10);
    expect(await h.seriousViolations(page)).toEqual([]);

    // Once: gone when dismissed, and not on the page after a reload (only its hint).
    await page.getByRole('button', { name: 'Done, I have copied it' }).click();
    await page.reload();
    const list = page.getByTestId('staff-list');
    await expect.poll(() => list.innerText()).toContain('Till 1');
    expect(await page.content()).not.toContain(token);
    expect(await list.innerText()).toContain(`${token.slice(0, 13)}…${token.slice(-4)}`);

    // Revoke, confirmed in a dialog (cancel first: nothing happens).
    await page.getByRole('button', { name: 'Revoke Till 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke “Till 1”?' });
    await dialog.waitFor();
    await page.waitForTimeout(400); // the dialog's fade-in, which axe would judge half-way
    expect(await h.seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).last().click();
    await dialog.waitFor({ state: 'detached' });
    expect(
      (await t.db.selectFrom('staff_members').select('revoked_at').executeTakeFirstOrThrow())
        .revoked_at,
    ).toBeNull();
    await page.getByRole('button', { name: 'Revoke Till 1' }).click();
    await dialog.getByRole('button', { name: 'Revoke the device' }).click();
    await page.getByText('“Till 1” is revoked.').waitFor();
    await expect.poll(() => list.innerText()).toMatch(/revoked/);
    const revoked = await t.db
      .selectFrom('staff_members')
      .select('revoked_at')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(revoked.revoked_at).not.toBeNull();
    // The revoked token stamps nothing.
    const scan = await t.app.inject({
      method: 'POST',
      url: '/v1/stamps/scan',
      headers: { authorization: `Bearer ${token}` },
      payload: { payload: 'LJS1.x' },
    });
    expect(scan.statusCode).toBe(401);

    const added = await audited('POST /v1/staff');
    expect(added).toMatchObject([{ actor_type: 'user', target_id: row.id }]);
    expect(JSON.stringify(added[0]!.after)).not.toContain(token);
    expect(await audited('DELETE /v1/staff/:staffId')).toMatchObject([
      { actor_type: 'user', target_id: row.id },
    ]);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('an analyst sees tiers and stamp cards read-only, and the API refuses their writes (403)', async () => {
    const { context, page } = await h.newPage('en-GB');
    await h.signInAs(page, analyst.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();

    await open(page, '/tiers', 'VIP tiers');
    await expect.poll(() => page.getByTestId('members-silver').innerText()).toBe('2');
    expect(await page.getByRole('button').allInnerTexts()).not.toContain('Save the tiers');
    expect(await page.getByTestId('tier-preview').count()).toBe(0);
    expect(await page.getByRole('spinbutton').count()).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);

    await open(page, '/stamp-cards', 'Stamp cards');
    await page.getByText('Your role lets you view the stamp cards, not change them.').waitFor();
    await expect.poll(() => page.getByTestId('stamp-programmes').innerText()).toContain('2 stamps');
    const buttons = await page.getByRole('button').allInnerTexts();
    expect(buttons).not.toContain('New stamp card');
    expect(buttons).not.toContain('Edit');
    expect(await page.getByRole('heading', { name: 'Staff devices' }).count()).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);

    // The same writes through the API with the analyst's own session: 403, nothing changes.
    const statuses = await statusesFromPage(page, shop.id, [
      { method: 'PUT', path: '/v1/tiers', body: silverAndGold },
      { method: 'POST', path: '/v1/tiers/preview', body: silverAndGold },
      {
        method: 'POST',
        path: '/v1/stamp-cards',
        body: {
          name: 'X',
          stampsRequired: 5,
          earnBy: 'visit',
          reward: { type: 'coupon', discount: { kind: 'free_shipping' } },
        },
      },
      { method: 'POST', path: '/v1/staff', body: { name: 'X' } },
      { method: 'GET', path: '/v1/staff' },
    ]);
    expect(statuses).toEqual([403, 403, 403, 403, 403]);
    expect((await call(t, shop, 'GET', '/v1/tiers')).json().tiers[0].entryThreshold).toBe(85_000);
    expect((await call(t, shop, 'GET', '/v1/stamp-cards')).json()).toHaveLength(1);
    await context.close();
  }, 60_000);

  it.skipIf(!takingShots)(
    'screenshots: tiers and stamp cards in both languages at 1280 and 390 px',
    async () => {
      await h.inEachLanguageAndWidth(owner.email, async ({ page, shot }) => {
        await open(page, '/tiers', /^(VIP tiers|Poziomy VIP)$/);
        await page.getByTestId('tier-preview-summary').waitFor();
        await page.getByTestId('tier-1').getByRole('textbox').nth(0).waitFor();
        await shot('tiers');
        await open(page, '/stamp-cards', /^(Stamp cards|Karty pieczątek)$/);
        await page.getByRole('heading', { name: /^(Staff devices|Urządzenia obsługi)$/ }).waitFor();
        await page.getByRole('button', { name: /^(New stamp card|Nowa karta pieczątek)$/ }).click();
        await shot('stamp-cards');
      });
    },
    90_000,
  );
});
