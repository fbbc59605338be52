import { sql } from 'kysely';
import { connect } from '../apps/server/src/db/connect.ts';
import { withDatabase } from '../apps/server/src/db/databases.ts';
import { fitBgNbdGroups, fitGammaGamma } from '../apps/server/src/analytics/clv-models.ts';
import { readFileSync } from 'node:fs';
async function main() {
  const { db } = connect(withDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'lojal_bench_analytics'), 4);
  const q = readFileSync('/tmp/clv.sql', 'utf8').replace('EXPLAIN (ANALYZE, BUFFERS, TIMING OFF)', '').replace(/;\s*$/, '').replace('sum(holdout_x)::int', 'sum(holdout_x)::int AS holdout_x');
  let t = performance.now();
  const { rows } = await sql.raw<any>(q).execute(db);
  console.log('sql+parse', ((performance.now() - t) / 1000).toFixed(2), rows.length);
  const h: any[] = [], s: any[] = [];
  for (const r of rows) r.spend ? s.push({ x: r.x, zbar: r.repeat_net / r.x / 100, n: r.n }) : h.push({ x: r.x, tX: r.tx_days / 7, T: r.t_days / 7, n: r.n });
  t = performance.now();
  console.log(JSON.stringify(fitBgNbdGroups(h)), 'bgnbd', ((performance.now() - t) / 1000).toFixed(2));
  t = performance.now();
  console.log(JSON.stringify(fitGammaGamma(s)), 'gg', ((performance.now() - t) / 1000).toFixed(2));
  await db.destroy();
}
main();
