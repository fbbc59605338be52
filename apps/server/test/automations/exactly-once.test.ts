import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueMessages } from '../../src/automations/deliver-messages.ts';
import { smtpTransport } from '../../src/messaging/smtp-transport.ts';
import { fixedClock, systemClock } from '../../src/shared/clock.ts';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { deliveryDeps, startSmtpSink, type SmtpSink } from './support.ts';
import { sizeForPass } from '../support/repeat-pass.ts';

let t: TestApp;
let sink: SmtpSink;

beforeAll(async () => {
  t = await createTestApp();
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
  await t.close();
});

/** `n` customers who accept e-mail marketing, each with one marketing e-mail due now. */
async function schedule(shopId: string, n: number, prefix: string) {
  await sql`
    INSERT INTO customers (shop_id, id, external_id, email, first_name, accepts_email_marketing, field_times)
    SELECT ${shopId}, ${prefix} || 'cus_' || i, ${prefix} || i, ${prefix} || i || '@example.pl', 'Ala', true, '{}'
    FROM generate_series(1, ${n}) i`.execute(t.db);
  await sql`
    INSERT INTO messages (shop_id, id, send_key, customer_id, channel, purpose, template_key, locale, to_address,
                          status, not_before, created_at)
    SELECT ${shopId}, ${prefix} || 'msg_' || lpad(i::text, 6, '0'), ${prefix} || 'key-' || i, ${prefix} || 'cus_' || i,
           'email', 'loyalty', 'welcome.thank_you', 'pl', ${prefix} || i || '@example.pl', 'queued', now() - interval '1 second', now()
    FROM generate_series(1, ${n}) i`.execute(t.db);
}

function countByMessageId(prefix: string) {
  const counts = new Map<string, number>();
  for (const mail of sink.mails) {
    const id = String(mail.headers.get('x-lojal-message') ?? '');
    if (id.startsWith(prefix)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('exactly-once sending', () => {
  // 10,000 in the first pass; 2,000 in CI's repeat passes (the property, not the volume).
  const competing = sizeForPass(10_000, 2_000);
  it(`sends ${competing} scheduled messages exactly once with two workers competing`, async () => {
    const shop = await createTestShop(t);
    await schedule(shop.id, competing, 'a');
    const workers = [
      smtpTransport(sink.url, { pool: true, maxConnections: 4 }),
      smtpTransport(sink.url, { pool: true, maxConnections: 4 }),
    ];
    const reports = await Promise.all(
      workers.map((email) =>
        deliverDueMessages(t.db, systemClock, deliveryDeps(t, email, { concurrency: 4 }), 100),
      ),
    );
    await Promise.all(workers.map((w) => w.close()));
    const counts = countByMessageId('amsg_');
    expect(counts.size).toBe(competing);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(reports[0]!.sent + reports[1]!.sent).toBe(competing);
    // Both took part.
    expect(Math.min(reports[0]!.sent, reports[1]!.sent)).toBeGreaterThan(0);
    const { rows } = await sql<{ status: string; n: number }>`
      SELECT status, count(*)::int AS n FROM messages WHERE shop_id = ${shop.id} AND id LIKE 'amsg_%' GROUP BY status`.execute(
      t.db,
    );
    expect(rows).toEqual([{ status: 'sent', n: competing }]);
  }, 240_000);

  it('a worker killed in the middle of sending: nothing is sent twice, and the rest goes out', async () => {
    const shop = await createTestShop(t, 'Sklep Awaria');
    const total = 1_000;
    await schedule(shop.id, total, 'k');
    const worker = fork(
      path.join(path.dirname(fileURLToPath(import.meta.url)), 'deliver-worker.ts'),
      {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, DATABASE_URL: t.url, SMTP_URL: sink.url },
        stdio: 'ignore',
      },
    );
    // Kill it (SIGKILL: no cleanup) once it is well into the batch.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (countByMessageId('kmsg_').size >= 150) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
      worker.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
    const atKill = countByMessageId('kmsg_').size;
    expect(atKill).toBeLessThan(total);

    // Past the lease, a new worker settles what the dead one left in flight and sends the rest.
    const later = fixedClock(new Date(Date.now() + 10 * 60_000));
    const email = smtpTransport(sink.url);
    const report = await deliverDueMessages(
      t.db,
      later,
      deliveryDeps(t, email, { concurrency: 4 }),
      100,
    );
    await email.close();

    const counts = countByMessageId('kmsg_');
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    const { rows } = await sql<{ status: string; n: number }>`
      SELECT status, count(*)::int AS n FROM messages WHERE shop_id = ${shop.id} GROUP BY status ORDER BY status`.execute(
      t.db,
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    // Only the few in flight at the kill (at most the worker's concurrency) are in doubt.
    const uncertain = by.uncertain ?? 0;
    expect(uncertain).toBeLessThanOrEqual(4);
    expect(report.interrupted).toBe(uncertain);
    expect((by.sent ?? 0) + uncertain).toBe(total);
    // Every message marked sent really arrived once; in-doubt ones arrived at most once.
    expect(counts.size).toBeGreaterThanOrEqual(by.sent ?? 0);
    expect(counts.size).toBeLessThanOrEqual(total);
  }, 240_000);
});
