// temporary: times the analytics parts on the bench database (deleted before handing back)
import { connect } from '../apps/server/src/db/connect.ts';
import { withDatabase } from '../apps/server/src/db/databases.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { buildCohorts } from '../apps/server/src/analytics/build-cohorts.ts';
import { fitClv } from '../apps/server/src/analytics/fit-clv.ts';
import { listSegments } from '../apps/server/src/segments/manage-segments.ts';

async function main() {
  const { db, pool } = connect(withDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'lojal_bench_analytics'), 4);
  let t = performance.now();
  console.log(await migrate(pool), ((performance.now() - t) / 1000).toFixed(1), 's migrate');
  const shop = await db.selectFrom('shops').selectAll().executeTakeFirstOrThrow();
  const parts = (process.env.PARTS ?? 'cohorts,segments,clv').split(',');
  if (parts.includes('cohorts')) {
    t = performance.now();
    await buildCohorts(db, shop, '2025-01-01', '2027-01-01');
    console.log('cohorts', ((performance.now() - t) / 1000).toFixed(2));
    t = performance.now();
    await buildCohorts(db, shop, '2025-01-01', '2026-12-15');
    console.log('cohorts partial', ((performance.now() - t) / 1000).toFixed(2));
  }
  if (parts.includes('segments')) {
    t = performance.now();
    const s = await listSegments(db, systemClock, shop);
    console.log('segments', ((performance.now() - t) / 1000).toFixed(2), s.map((x) => `${x.id}=${x.customers}`).join(' '));
  }
  if (parts.includes('clv')) {
    t = performance.now();
    const f = await fitClv(db, shop, process.env.CAL ?? '2026-06-30');
    console.log('clv', ((performance.now() - t) / 1000).toFixed(2), JSON.stringify(f));
  }
  await db.destroy();
}
main();
