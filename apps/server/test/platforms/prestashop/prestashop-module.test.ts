import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, type TestApp } from '../../support/app.ts';

// The PrestaShop module (integrations/prestashop): `php -l` on every file, then its hooks run
// under the PHP CLI (tests/run.php, with stand-ins for PrestaShop's classes) against a real
// Lojal server, against no server, and against one that never answers.
const ROOT = fileURLToPath(new URL('../../../../../integrations/prestashop/', import.meta.url));
const php = (() => {
  try {
    execFileSync('php', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!php) {
  console.warn(
    'SKIPPED: the PrestaShop module tests need the PHP CLI (apt-get install -y php-cli php-curl)',
  );
}

function phpFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return phpFiles(path);
    return name.endsWith('.php') ? [path] : [];
  });
}

interface Run {
  logs: Array<{ message: string; severity: number }>;
  elapsedMs: number;
  threw: string | null;
}

function runHooks(url: string, key: string, scenario: 'all' | 'one'): Promise<Run> {
  // async, so this process keeps serving the requests the hooks make
  return new Promise((resolve, reject) => {
    execFile(
      'php',
      [join(ROOT, 'tests/run.php'), url, key, scenario],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout) as Run);
      },
    );
  });
}

describe.skipIf(!php)('the PrestaShop module', () => {
  let t: TestApp;
  let lojalUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    lojalUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t?.close());

  it('passes php -l, every file', () => {
    const files = phpFiles(ROOT);
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const lint = spawnSync('php', ['-l', file], { encoding: 'utf8' });
      expect(lint.status, `${file}: ${lint.stdout}${lint.stderr}`).toBe(0);
    }
  });

  it("sends a shop's customer, paid order, refund and cancellation to /v1/events, once each", async () => {
    const shop = await createTestShop(t);
    const run = await runHooks(lojalUrl, shop.apiKey, 'all');
    expect(run).toMatchObject({ logs: [], threw: null });
    await t.processor.drain();

    const events = await t.db
      .selectFrom('inbound_events')
      .select(['topic', 'delivery_id', 'status'])
      .where('shop_id', '=', shop.id)
      .orderBy('delivery_id')
      .execute();
    expect(events).toEqual([
      {
        topic: 'customer.created',
        delivery_id: 'customer.created:customer-7-created',
        status: 'processed',
      },
      {
        topic: 'customer.updated',
        delivery_id: expect.stringMatching(/^customer\.updated:customer-7-[0-9a-f]{16}$/),
        status: 'processed',
      },
      {
        topic: 'order.cancelled',
        delivery_id: 'order.cancelled:order-42-cancelled',
        status: 'processed',
      },
      { topic: 'order.paid', delivery_id: 'order.paid:order-42-paid', status: 'processed' },
      { topic: 'order.refunded', delivery_id: 'order.refunded:slip-9', status: 'processed' },
    ]);
    const order = await t.db
      .selectFrom('orders')
      .select(['external_id', 'total', 'placed_at', 'refunded_amount'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(order).toEqual({
      external_id: '42',
      total: 12300,
      placed_at: new Date('2025-06-01T10:00:00Z'), // 12:00 in Warsaw, summer time
      refunded_amount: 3000,
    });
    const customer = await t.db
      .selectFrom('customers')
      .select(['external_id', 'email', 'birthday', 'accepts_email_marketing'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(customer).toEqual({
      external_id: '7',
      email: 'ala@example.pl',
      birthday: '1990-05-17',
      accepts_email_marketing: true,
    });
  });

  it('logs a refused API key and goes on', async () => {
    const run = await runHooks(lojalUrl, 'lojal_zly_klucz', 'one');
    expect(run.threw).toBeNull();
    expect(run.logs).toEqual([
      {
        message: expect.stringMatching(/customer\.created customer-7-created: HTTP 401/),
        severity: 3,
      },
    ]);
  });

  it('does not hold up the shop while Lojal is down or hangs', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const downPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await runHooks(`http://127.0.0.1:${downPort}`, 'key', 'all');
    expect(down.threw).toBeNull();
    expect(down.logs).toHaveLength(6);
    expect(down.logs.every((l) => l.severity === 2)).toBe(true);
    expect(down.elapsedMs).toBeLessThan(3000);

    const hanging = http.createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
      const slow = await runHooks(url, 'key', 'one');
      expect(slow.threw).toBeNull();
      expect(slow.logs).toHaveLength(1);
      // one event's budget is 2 s
      expect(slow.elapsedMs).toBeGreaterThanOrEqual(1500);
      expect(slow.elapsedMs).toBeLessThan(4000);
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});
