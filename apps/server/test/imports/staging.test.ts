import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { readImportFile, type ReadImportInput } from '../../src/imports/read-import-file.ts';
import { resumeImports } from '../../src/imports/resume-imports.ts';
import { importView } from '../../src/imports/import-view.ts';
import { errorsByLine, expectNoErrors, importText, shopRow } from './support.ts';

// The read phase stages a file by one COPY … FROM STDIN: what it keeps of the rows (lines,
// errors, text as written) and what a read that stops halfway leaves (nothing).
const clock = fixedClock('2026-06-01T10:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

/** A customers file of n rows (lines 2 … n + 1), longer than one COPY chunk when n is large. */
function customersFile(n: number, row: (i: number) => string | null = () => null) {
  const lines = ['customer_id,email,first_name'];
  for (let i = 1; i <= n; i++) {
    lines.push(row(i) ?? `k${i},k${i}@example.com,Klientka z dość długim imieniem ${i}`);
  }
  return lines.join('\n') + '\n';
}

async function stagedRows(importId: string): Promise<number> {
  const row = await t.db
    .selectFrom('import_rows')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('import_id', '=', importId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function customerCount(shopId: string): Promise<number> {
  const row = await t.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('shop_id', '=', shopId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function input(body: AsyncIterable<Buffer>): ReadImportInput {
  return {
    kind: 'customers',
    format: 'lojal-csv',
    fileName: 'klienci.csv',
    dryRun: false,
    actor: 'test',
    body,
    maxBytes: 100_000_000,
  };
}

describe('staging a file by COPY', () => {
  it('keeps the line of a bad row in the middle of a big file, and text exactly as written', async () => {
    const shop = await createTestShop(t, 'Sklep z dużym plikiem');
    const n = 30_000; // about 1.6 MB: the COPY gets it in several chunks
    const odd = 'Ta\tb \\ ukośnik\r\nnowa linia "cudzysłów" \\N \\t';
    const text = customersFile(n, (i) =>
      i === 15_000
        ? `k${i},not-an-email,Ola`
        : i === 20_000
          ? `k${i},k${i}@example.com,"${odd.replaceAll('"', '""')}"`
          : null,
    );
    const report = await importText(t, shop.id, 'customers', text);
    expect(report).toMatchObject({
      status: 'done',
      progress: { rowsRead: n, rowsApplied: n - 1, rowsFailed: 1 },
    });
    expect([...errorsByLine(report).keys()]).toEqual([15_001]);
    expect(errorsByLine(report).get(15_001)).toContain('email');
    expect(await customerCount(shop.id)).toBe(n - 1);
    const written = await t.db
      .selectFrom('customers')
      .select(['first_name', 'email'])
      .where('shop_id', '=', shop.id)
      .where('external_id', 'in', ['k20000', 'k29999'])
      .orderBy('external_id')
      .execute();
    expect(written).toEqual([
      { first_name: odd, email: 'k20000@example.com' },
      { first_name: 'Klientka z dość długim imieniem 29999', email: 'k29999@example.com' },
    ]);
  });

  it('leaves no row of a read that stops halfway; the same file read again applies every row once', async () => {
    const shop = await createTestShop(t, 'Sklep z przerwanym plikiem');
    const n = 20_000;
    const text = customersFile(n);
    const bytes = Buffer.from(text);
    async function* breaksHalfway() {
      for (let i = 0; i < bytes.length / 2; i += 64 * 1024) {
        yield bytes.subarray(i, i + 64 * 1024);
      }
      throw new Error('the upload was cut off');
    }
    const row = await shopRow(t, shop.id);
    await expect(
      readImportFile(t.db, t.pool, t.clock, row, input(breaksHalfway())),
    ).rejects.toThrow('the upload was cut off');
    const stopped = await t.db
      .selectFrom('imports')
      .select(['id', 'status', 'error'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(stopped).toMatchObject({ status: 'failed', error: 'the upload was cut off' });
    expect(await stagedRows(stopped.id)).toBe(0);
    expect(await customerCount(shop.id)).toBe(0);

    const again = await importText(t, shop.id, 'customers', text);
    expectNoErrors(again);
    expect(again.progress).toMatchObject({ rowsRead: n, rowsApplied: n });
    expect(again.changes).toEqual({ 'customers.created': n });
    expect(await customerCount(shop.id)).toBe(n);
    // Once more: the same bytes are a duplicate of the import that went through.
    const third = await importText(t, shop.id, 'customers', text);
    expect(third).toMatchObject({ status: 'duplicate', duplicateOf: again.id });
  });

  it('fails an import whose reader died mid-file, once it has been silent for a while', async () => {
    const shop = await createTestShop(t, 'Sklep z martwym czytnikiem');
    const bytes = Buffer.from(customersFile(5_000));
    // Half the file arrives, then nothing more: as when the process reading it died.
    const body = new Readable({ read() {} });
    body.push(bytes.subarray(0, bytes.length / 2));
    const row = await shopRow(t, shop.id);
    const reading = readImportFile(t.db, t.pool, t.clock, row, input(body));
    let id: string | undefined;
    for (let i = 0; i < 100 && id === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      id = (
        await t.db
          .selectFrom('imports')
          .select('id')
          .where('shop_id', '=', shop.id)
          .executeTakeFirst()
      )?.id;
    }
    expect(id).toBeDefined();
    // A minute of silence is not yet death…
    clock.set(new Date(clock.now().getTime() + 60_000));
    await resumeImports(t.db, t.clock);
    expect((await importView(t.db, shop.id, id!)).status).toBe('reading');
    // …three are.
    clock.set(new Date(clock.now().getTime() + 2 * 60_000));
    await resumeImports(t.db, t.clock);
    const failed = await importView(t.db, shop.id, id!);
    expect(failed).toMatchObject({ status: 'failed', progress: { rowsRead: 0 } });
    expect(failed.error).toContain('import it again');
    expect(await stagedRows(id!)).toBe(0);
    body.destroy(new Error('gone'));
    await expect(reading).rejects.toThrow('gone');
    expect(await stagedRows(id!)).toBe(0);
    expect(await customerCount(shop.id)).toBe(0);
  });
});
