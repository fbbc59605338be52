/**
 * npm run bench — every benchmark in bench/ in sequence, then one summary table of their goal
 * figures (the `BENCH_FIGURE` lines each script prints; bench/support/figures.ts): figure,
 * baseline measured in the same run, ratio or difference, goal, met or missed.
 *
 *   BENCH_QUICK=1      smaller sizes, the whole set in minutes (each script's quick sizes)
 *   BENCH_ONLY=a,b     only these scripts (names without .ts), e.g. BENCH_ONLY=ingest,messages
 *   BENCH_SKIP=a,b     all but these
 *
 * A script that fails is reported as such and the rest still run; the exit code is non-zero
 * if any failed. The scripts' own output passes through as it comes.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compared, met, type BenchFigure } from './support/figures.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverDir = path.resolve(here, '../apps/server');

// In the order they run: the quick, self-contained ones first, the big generated shops last.
const SCRIPTS = [
  'render',
  'messages',
  'coupons',
  'storefront',
  'storefront-page',
  'points',
  'ingest',
  'customer-search',
  'dashboard',
  'analytics-routes',
  'analytics',
];

const list = (name: string) =>
  (process.env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function run(script: string): Promise<{ figures: BenchFigure[]; ok: boolean; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, `${script}.ts`)],
      // the scripts resolve the server's packages from its workspace, as `npm run bench:x` does
      { cwd: serverDir, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const figures: BenchFigure[] = [];
    let rest = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('BENCH_FIGURE ')) figures.push(JSON.parse(line.slice(13)));
      }
    });
    child.on('exit', (code) =>
      resolve({ figures, ok: code === 0, seconds: (Date.now() - started) / 1000 }),
    );
  });
}

const num = (x: number) =>
  Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en') : String(Number(x.toFixed(2)));

function goalText(f: BenchFigure): string {
  const sign = f.better === 'higher' ? '≥' : '≤';
  if (f.compare === 'ratio') return `${sign} ${f.goal}×`;
  if (f.compare === 'difference') return `${sign} +${f.goal} ${f.unit}`;
  return `${sign} ${num(f.goal)} ${f.unit}`;
}

function comparedText(f: BenchFigure): string {
  const x = compared(f);
  if (f.compare === 'ratio') return `${x.toFixed(2)}×`;
  if (f.compare === 'difference') return `${x >= 0 ? '+' : ''}${num(x)} ${f.unit}`;
  return '';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r, n) =>
      [
        r.map((c, i) => c.padEnd(widths[i]!)).join('  '),
        ...(n === 0 ? [widths.map((w) => '-'.repeat(w)).join('  ')] : []),
      ].join('\n'),
    )
    .join('\n');
}

async function main() {
  const only = list('BENCH_ONLY');
  const skip = list('BENCH_SKIP');
  const scripts = SCRIPTS.filter(
    (s) => (only.length === 0 || only.includes(s)) && !skip.includes(s),
  );
  const results: Array<{ script: string; figures: BenchFigure[]; ok: boolean; seconds: number }> =
    [];
  for (const script of scripts) {
    console.log(`\n===== bench/${script}.ts =====`);
    results.push({ script, ...(await run(script)) });
  }
  const rows = [['script', 'figure', 'value', 'baseline', 'ratio / diff', 'goal', 'result']];
  for (const r of results) {
    if (r.figures.length === 0) {
      rows.push([r.script, r.ok ? '(no goal figure)' : 'FAILED', '', '', '', '', '']);
      continue;
    }
    for (const f of r.figures) {
      rows.push([
        r.script,
        f.figure,
        `${num(f.value)} ${f.unit}`,
        f.baseline === undefined ? '' : `${num(f.baseline)} (${f.baselineName})`,
        comparedText(f),
        goalText(f),
        r.ok ? (met(f) ? 'met' : 'missed') : 'FAILED',
      ]);
    }
  }
  console.log(
    `\nBenchmark summary (${new Date().toISOString()}, shared machines are noisy: compare ratios)\n`,
  );
  console.log(table(rows));
  console.log(`\n${results.map((r) => `${r.script} ${Math.round(r.seconds)} s`).join(', ')}`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

await main();
