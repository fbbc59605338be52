import { mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

/**
 * PostgreSQL's own rate of single-row insert transactions on `url`'s database (pgbench, 10 s,
 * `concurrency` clients): the yardstick the ingestion benchmarks compare Lojal's rates with.
 */
export function pgInsertBaseline(url: string, concurrency: number): { tps: number; how: string } {
  const setup = new URL(url);
  const database = decodeURIComponent(setup.pathname.slice(1));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lojal-pgbench-'));
  const script = path.join(dir, 'insert.sql');
  writeFileSync(script, "INSERT INTO bench_baseline (payload) VALUES (repeat('x', 200));\n");
  spawnSync(
    'psql',
    [
      url,
      '-qc',
      'DROP TABLE IF EXISTS bench_baseline; CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, payload text)',
    ],
    { stdio: 'ignore' },
  );
  const run = spawnSync(
    'pgbench',
    [
      '-n',
      '-f',
      script,
      '-c',
      String(concurrency),
      '-j',
      '2',
      '-T',
      '10',
      '-h',
      setup.hostname,
      '-p',
      setup.port || '5432',
      '-U',
      decodeURIComponent(setup.username || 'postgres'),
      database,
    ],
    { encoding: 'utf8' },
  );
  const match = /tps = ([\d.]+)/.exec(run.stdout ?? '');
  if (!match) throw new Error(`pgbench failed: ${run.stderr}`);
  return {
    tps: Number(match[1]),
    how: `pgbench, ${concurrency} clients, 10 s, one INSERT per transaction`,
  };
}
