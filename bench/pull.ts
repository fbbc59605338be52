/**
 * Pull benchmark (npm run bench:pull; also the pull scenario of bench:ingest). A history backfill
 * of N orders (default 100,000, every 10th with a part refund) from a local BaseLinker fake
 * (apps/server/test/platforms/baselinker/fake-baselinker.ts, the format of api.base.com) into a
 * fresh database, through the connections runtime itself: the shop connects (createConnection,
 * the credentials proven by the connector's test() and sealed), then `pullConnection` runs as the
 * `connection-pull` job does, 50 pages a run, the BaseLinker connector reading pages of 100
 * orders, each page's records stored in the raw event log (deliveries `pull:<key>`) before its
 * cursor is saved; the event processor turns them into customers, orders and refunds while the
 * pull goes on.
 * Measured: orders per second from the first call to the last order processed, checked against
 * the fake's own count (orders, revenue, refunds); PostgreSQL's single-row insert rate on the
 * same database is measured by the caller (bench:ingest) or here when run alone.
 *
 * BaseLinker allows 100 calls a minute per token: a real backfill is bounded by that at 100
 * orders a call, 10,000 orders a minute (≈167/s). The benchmark lifts the limit on both sides
 * (the fake's, and the connector's `rateLimit` in the runtime's connector list) to measure
 * Lojal's own pace.
 *
 *   BENCH_PULL_N=100000 BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connect } from '../apps/server/src/db/connect.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { provisionShop } from '../apps/server/src/app/provision-shop.ts';
import { EventProcessor } from '../apps/server/src/ingest/event-processor.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { silentLogger } from '../apps/server/src/shared/logger.ts';
import { SecretBox } from '../apps/server/src/shared/secrets.ts';
import { reactions } from '../apps/server/src/app/reactions.ts';
import type { ConnectionDeps } from '../apps/server/src/connections/connection-deps.ts';
import { createConnection } from '../apps/server/src/connections/create-connection.ts';
import { pullConnection } from '../apps/server/src/connections/pull-connection.ts';
import { baselinkerConnector } from '../apps/server/src/platforms/baselinker/connector.ts';
import { startFakeBaseLinker } from '../apps/server/test/platforms/baselinker/fake-baselinker.ts';
import { pgInsertBaseline } from './support/pg-baseline.ts';

const DB = 'lojal_bench_pull';
const DAY = 86_400_000;

export interface PullFigures {
  scenario: 'pull';
  platform: 'baselinker';
  orders: number;
  pages: number;
  seconds: number;
  ordersPerSecond: number;
  ordersStored: number;
  refundsStored: number;
  matchesPlatformCount: boolean;
}

export async function pullScenario(input: { serverUrl: string; n: number }): Promise<PullFigures> {
  await recreateDatabase(input.serverUrl, DB);
  const url = withDatabase(input.serverUrl, DB);
  const { db, pool } = connect(url, 8);
  await migrate(pool);
  const box = new SecretBox(Buffer.alloc(32, 7));
  const shop = await provisionShop(db, systemClock, box, {
    name: 'Bench pull',
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
  });
  const now = new Date();
  const fake = await startFakeBaseLinker({ now: now.getTime(), limit: 1_000_000_000 });
  try {
    const seeded = await fake.seedHistory({
      orders: input.n,
      from: new Date(now.getTime() - 360 * DAY),
      to: new Date(now.getTime() - DAY),
      refundEvery: 10,
      currency: 'PLN',
    });
    const deps: ConnectionDeps = {
      db,
      clock: systemClock,
      box,
      connectors: {
        baselinker: {
          ...baselinkerConnector,
          rateLimit: { requests: 1_000_000_000, perMs: 60_000 },
        },
      },
      policy: { ports: 'any', privateNetworks: true },
    };
    const processor = new EventProcessor(db, systemClock, silentLogger, { reactions });
    console.log(`[pull] backfilling ${input.n} BaseLinker orders…`);
    const started = Date.now();
    const connection = await createConnection(deps, shop.id, {
      platform: 'baselinker',
      credentials: fake.connection.credentials as Record<string, unknown>,
      settings: fake.connection.settings as Record<string, unknown>,
      backfill: { months: 12, earnPoints: false },
    });
    // The connection-pull job's loop: runs of 50 pages until the platform has nothing more.
    let pulling = true;
    let pages = 0;
    const pull = (async () => {
      try {
        for (;;) {
          const run = await pullConnection(deps, shop.id, connection.id, { pages: 50 });
          pages += run.pages;
          if (!run.more) return;
        }
      } finally {
        pulling = false;
      }
    })();
    const processing = (async () => {
      while (pulling) {
        await processor.drain();
        await new Promise((r) => setTimeout(r, 20));
      }
      await processor.drain();
    })();
    await Promise.all([pull, processing]);
    const seconds = (Date.now() - started) / 1000;

    const figures = await db
      .selectFrom('orders')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('total').as('revenue'),
        eb.fn.sum<number>('refunded_amount').as('refunded'),
      ])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    const refunds = await db
      .selectFrom('refunds')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    const matches =
      Number(figures.n) === seeded.orders &&
      Number(figures.revenue) === seeded.revenue &&
      Number(figures.refunded) === seeded.refunded &&
      Number(refunds.n) === seeded.refunds;
    if (!matches) {
      console.error('FAIL: the stored figures differ from the platform count', {
        seeded,
        stored: { ...figures, refunds: refunds.n },
      });
      process.exitCode = 1;
    }
    return {
      scenario: 'pull',
      platform: 'baselinker',
      orders: input.n,
      pages,
      seconds: Number(seconds.toFixed(1)),
      ordersPerSecond: Math.round(Number(figures.n) / seconds),
      ordersStored: Number(figures.n),
      refundsStored: Number(refunds.n),
      matchesPlatformCount: matches,
    };
  } finally {
    await fake.close();
    await db.destroy();
  }
}

async function main() {
  const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const n = Number(process.argv[2] ?? process.env.BENCH_PULL_N ?? 100_000);
  const figures = await pullScenario({ serverUrl, n });
  const baseline = pgInsertBaseline(withDatabase(serverUrl, DB), 32);
  console.table([figures]);
  console.log(
    `PostgreSQL single-row insert transactions: ${Math.round(baseline.tps)}/s (${baseline.how})`,
  );
  console.log(
    `[pull] orders/s ÷ PostgreSQL insert tps = ${(figures.ordersPerSecond / baseline.tps).toFixed(2)}`,
  );
  console.log(JSON.stringify({ pull: figures, postgresInsertTps: Math.round(baseline.tps) }));
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.end();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
