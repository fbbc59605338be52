// The floors of apps/server/src (docs/ARCHITECTURE.md, "Floors"). Code imports only from its own
// floor or the floors below it; the lint rule in eslint/floors-rule.mjs and the report in
// scripts/import-graph.mjs both read this map.
export const SOURCE_ROOT = 'apps/server/src';

export const FEATURES = [
  'achievements',
  'affiliates',
  'analytics',
  'automations',
  'coupons',
  'customers',
  'gift-cards',
  'orders',
  'points',
  'referrals',
  'reviews',
  'rewards',
  'segments',
  'shops',
  'stamps',
  'surveys',
  'tiers',
];

// Lowest first. events/ and messaging/ are what features plug into; ingest/ turns shop events
// into customers and orders and hands the changes to the features' reactions, which app/ gives it.
const floors = [
  { name: 'shared', rank: 0, areas: ['shared', 'config.ts'] },
  { name: 'db', rank: 1, areas: ['db'] },
  { name: 'events and messaging', rank: 2, areas: ['events', 'messaging'] },
  { name: 'ingest', rank: 3, areas: ['ingest'] },
  { name: 'features', rank: 4, areas: FEATURES },
  { name: 'http', rank: 5, areas: ['http'] },
  { name: 'app', rank: 6, areas: ['app'] },
  { name: 'entry points', rank: 7, areas: ['main.ts', 'cli'] },
];

/** The top folder (or root file) of a path relative to the source root. */
export function areaOf(path) {
  const parts = path.split(/[\\/]/);
  const top = parts[0];
  if (parts.length === 1) return top.replace(/\.(mts|mjs|js)$/, '.ts');
  return top;
}

/** A folder no floor names is a feature, so a new feature needs no change here. */
export function floorOf(area) {
  const floor = floors.find((f) => f.areas.includes(area));
  if (floor) return floor;
  if (area.endsWith('.ts')) throw new Error(`${area} is on no floor: add it to eslint/floors.mjs`);
  return floors.find((f) => f.name === 'features');
}
