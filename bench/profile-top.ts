/**
 * npx tsx bench/profile-top.ts <file.cpuprofile> [n] — the top n (30) functions by self time of a
 * V8 CPU profile (node --cpu-prof; e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p"
 * for the server a benchmark starts), and the same time summed per package or source folder:
 * the flame graph's summary in text, for a note or a commit message.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const [file, n = '30'] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/profile-top.ts <file.cpuprofile> [n]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) =>
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
);
const sampled = [...selfUs.values()].reduce((a, b) => a + b, 0);
const idle = [...selfUs]
  .filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)')
  .reduce((a, [, us]) => a + us, 0);
// Shares of the busy time: a server waiting on its database or the CPU is idle, not slow code.
const total = sampled - idle;

/** node_modules/<package>, or the source folder under apps/server/src, or (native). */
function area(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /apps\/server\/src\/([^/]+)/.exec(url);
  if (src) return `src/${src[1]}`;
  if (url.startsWith('node:')) return url;
  return url === '' ? '(native / V8)' : url.replace(/^file:\/\//, '');
}

const functions = new Map<string, number>();
const areas = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  if (functionName === '(idle)') continue;
  const where = url
    ? `${url.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/')}:${lineNumber + 1}`
    : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  functions.set(key, (functions.get(key) ?? 0) + us);
  areas.set(area(url), (areas.get(area(url)) ?? 0) + us);
}

const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
console.log(
  `${file}: ${(sampled / 1e6).toFixed(1)} s sampled, ${((100 * idle) / sampled).toFixed(0)} % idle; shares of the ${(total / 1e6).toFixed(1)} s busy\n\nself time by function:`,
);
for (const [key, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) {
  console.log(`${pct(us)}  ${key}`);
}
console.log('\nself time by package or source folder:');
for (const [key, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`${pct(us)}  ${key}`);
}
