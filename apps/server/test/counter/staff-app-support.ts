import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Harness } from '../dashboard/browser-harness.ts';
import { call } from '../points/support.ts';

/**
 * A phone paired the way the owner pairs one: the dashboard makes a pairing (here through the
 * API), and the phone opens its link; the app takes the code from the fragment and gets its
 * token. Returns the page on the counter's home screen.
 */
export async function pairedPhone(
  h: Harness,
  name: string,
  options: { locale?: 'pl-PL' | 'en-GB'; width?: number; browser?: Browser; now: string },
): Promise<{ context: BrowserContext; page: Page; staffId: string }> {
  const made = await call(h.t, h.shop, 'POST', '/v1/staff/pairings', { name });
  expect(made.statusCode, made.body).toBe(201);
  const { url } = made.json() as { url: string };
  const browser = options.browser ?? h.browser;
  const context = await browser.newContext({
    locale: options.locale ?? 'pl-PL',
    viewport: { width: options.width ?? 390, height: 844 },
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(options.now));
  await page.goto(url);
  await page
    .getByRole('button', { name: /^(Skanuj kod klienta|Scan the customer’s code)$/ })
    .waitFor();
  expect(page.url()).toBe(`${h.base}/staff/`); // the code is gone from the address
  const staff = await h.t.db
    .selectFrom('staff_members')
    .select('id')
    .where('shop_id', '=', h.shop.id)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return { context, page, staffId: staff.id };
}

/** The actions waiting in the app's IndexedDB queue, as stored. */
export function storedActions(page: Page): Promise<unknown[]> {
  return page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('lojal-staff');
        open.onsuccess = () => {
          const req = open.result.transaction('actions').objectStore('actions').getAll();
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result as unknown[]);
          };
          req.onerror = () => reject(req.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

/** Puts actions back into the queue as if their answers had been lost, and wakes the app twice. */
export async function resend(page: Page, actions: unknown[]): Promise<void> {
  await page.evaluate(
    (list) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('lojal-staff');
        open.onsuccess = () => {
          const tx = open.result.transaction('actions', 'readwrite');
          for (const action of list) tx.objectStore('actions').put(action);
          tx.oncomplete = () => {
            open.result.close();
            window.dispatchEvent(new Event('online'));
            window.dispatchEvent(new Event('online'));
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    actions,
  );
  await expect.poll(async () => (await storedActions(page)).length, { timeout: 10_000 }).toBe(0);
}
