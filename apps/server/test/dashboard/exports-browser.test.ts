import { readFile } from 'node:fs/promises';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createMember } from '../support/accounts.ts';
import type { TestApp } from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { runExportJob } from '../../src/exports/export-jobs.ts';
import { sha256 } from '../../src/exports/audience-destinations.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// The export buttons in Chromium: Settings → Shop saves the whole shop as a zip; a segment's page
// saves a Google Ads audience of the members who agreed to marketing. No worker runs here: the
// test makes each queued file, as the worker would, while the page waits for it.
const NOW = '2026-12-07T10:00:00Z';

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let owner: { email: string };
let marketer: { email: string };

/** Makes the export the page has just asked for. */
async function makeQueuedExport(): Promise<void> {
  await expect
    .poll(
      async () =>
        (await t.db.selectFrom('exports').select('id').where('status', '=', 'queued').execute())
          .length,
    )
    .toBe(1);
  const queued = await t.db
    .selectFrom('exports')
    .select(['shop_id', 'id'])
    .where('status', '=', 'queued')
    .executeTakeFirstOrThrow();
  await runExportJob(t.pool, t.db, t.clock, { shopId: queued.shop_id, exportId: queued.id });
}

async function download(page: Page, testId: string) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    (async () => {
      await page.getByTestId(testId).click();
      await makeQueuedExport();
    })(),
  ]);
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

describe.skipIf(!browserTestsRun)('exports in a browser', () => {
  beforeAll(async () => {
    h = await startHarness({
      now: NOW,
      shopName: 'Sklep Eksportowy',
      seed: async (app, s) => {
        await send(
          app,
          s,
          orderPaid(
            'o-ania',
            { id: 'ania', email: 'Ania@Example.pl', acceptsMarketing: { email: true } },
            '2026-11-01T10:00:00Z',
            { total: 900_000 },
          ),
          orderPaid(
            'o-bartek',
            { id: 'bartek', email: 'bartek@example.pl' },
            '2026-11-02T10:00:00Z',
            {
              total: 800_000,
            },
          ),
        );
      },
    });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@eksport.pl');
    marketer = await createMember(t, shop.id, 'marketer', 'marketing@eksport.pl');
  }, 120_000);
  afterAll(() => h?.close());

  it('an owner saves the whole shop as a zip from Settings', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.goto(`${base}/admin/settings`);
    await page.getByRole('heading', { name: 'Export all data' }).waitFor();
    expect(await h.seriousViolations(page)).toEqual([]);
    const file = await download(page, 'export-jsonl');
    expect(file.name).toMatch(/^lojal-.*-2026-12-07-jsonl\.zip$/);
    const files = unzipSync(new Uint8Array(file.bytes));
    const customers = strFromU8(files['customers.jsonl']!).trim().split('\n');
    expect(
      customers.map((line) => (JSON.parse(line) as { customerId: string }).customerId).sort(),
    ).toEqual(['ania', 'bartek']);
    await page.getByText(/Saved lojal-.*\(\d+ rows\)/).waitFor();
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('a marketer saves a Google Ads audience of the consenting VIPs, and has no shop export', async () => {
    const { context, page, complaints } = await h.newPage('pl-PL');
    await h.signInAs(page, marketer.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await page.goto(`${base}/admin/segments/vip`);
    await page.getByRole('heading', { name: 'Grupa odbiorców reklam' }).waitFor();
    expect(await h.seriousViolations(page)).toEqual([]);
    const file = await download(page, 'audience-google');
    expect(file.name).toBe('audience-google-vip-2026-12-07.csv');
    expect(file.bytes.toString('utf8').trim().split('\r\n')).toEqual([
      'Email,Phone,First Name,Last Name,Country,Zip',
      `${sha256('ania@example.pl')},,,,,`,
    ]);
    await page.goto(`${base}/admin/settings`);
    await page.getByRole('heading', { name: 'Ustawienia sklepu', level: 1 }).waitFor();
    expect(await page.getByTestId('data-export').count()).toBe(0);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it.skipIf(!takingShots)(
    'screenshots: the export card and the audience buttons in both languages at 1280 and 390 px',
    async () => {
      await h.inEachLanguageAndWidth(owner.email, async ({ page, shot }) => {
        await page.goto(`${base}/admin/settings`);
        await page.getByTestId('data-export').waitFor();
        await shot('settings-export');
        await page.goto(`${base}/admin/segments/vip`);
        await page.getByTestId('audience-export').waitFor();
        await page.getByTestId('segment-members').waitFor();
        await shot('segment-audience');
      });
    },
    240_000,
  );
});
