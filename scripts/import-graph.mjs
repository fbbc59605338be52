#!/usr/bin/env node
// The import picture of apps/server/src at the level of folders: how many folder-to-folder
// arrows there are, which run up a floor, and which folders sit in an import cycle.
// Floors come from eslint/floors.mjs, the same map the lint rule enforces.
//   node scripts/import-graph.mjs            a summary
//   node scripts/import-graph.mjs --arrows   every folder arrow with its count and files
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { floorOf, areaOf, SOURCE_ROOT } from '../eslint/floors.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', SOURCE_ROOT);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|mts|mjs)$/.test(name)) files.push(path);
  }
})(root);

const importPattern =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const arrows = new Map(); // "from -> to" → list of "file → target"
for (const file of files) {
  const from = areaOf(relative(root, file));
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2];
    if (!spec.startsWith('.')) continue;
    const target = relative(root, resolve(dirname(file), spec));
    if (target.startsWith('..')) continue;
    const to = areaOf(target);
    if (to === from) continue;
    const key = `${from} -> ${to}`;
    if (!arrows.has(key)) arrows.set(key, []);
    arrows.get(key).push(`${relative(root, file)} → ${target}`);
  }
}

const areas = [...new Set(files.map((f) => areaOf(relative(root, f))))].sort();
const upward = [...arrows.keys()].filter((key) => {
  const [from, to] = key.split(' -> ');
  return floorOf(to).rank > floorOf(from).rank;
});

// Tarjan's strongly connected components over the folder graph.
const edges = new Map(areas.map((a) => [a, []]));
for (const key of arrows.keys()) {
  const [from, to] = key.split(' -> ');
  edges.get(from)?.push(to);
}
let index = 0;
const stack = [];
const info = new Map();
const cycles = [];
function connect(v) {
  info.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of edges.get(v) ?? []) {
    if (!info.has(w)) {
      connect(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low === info.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const a of areas) if (!info.has(a)) connect(a);

const pairs = areas.length * (areas.length - 1);
console.log(`folders: ${areas.length}`);
console.log(
  `folder arrows: ${arrows.size} (${((100 * arrows.size) / pairs).toFixed(0)} % of ${pairs} ordered pairs)`,
);
console.log(`upward arrows (to a higher floor): ${upward.length}`);
for (const key of upward)
  console.log(`  ${key}  (${arrows.get(key).length} imports, e.g. ${arrows.get(key)[0]})`);
console.log(`folders in import cycles: ${cycles.reduce((n, c) => n + c.length, 0)}`);
for (const c of cycles) console.log(`  cycle of ${c.length}: ${c.join(', ')}`);
if (process.argv.includes('--arrows')) {
  for (const [key, list] of [...arrows].sort())
    console.log(`${key}  ${list.length}\n    ${list.join('\n    ')}`);
}
