/** One changed value of a configuration write: where, and what it was and became. */
export interface Change {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

type Flat = Map<string, string>;

function flatten(value: unknown, prefix: string, into: Flat): Flat {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) into.set(prefix || '—', Array.isArray(value) ? '[]' : '{}');
    for (const [key, v] of entries) flatten(v, prefix ? `${prefix}.${key}` : key, into);
  } else if (value !== undefined) {
    into.set(prefix || '—', typeof value === 'string' ? value : JSON.stringify(value));
  }
  return into;
}

/**
 * What a write changed, field by field (`brand.primaryColor: #0b7285 → #ff0000`), from the
 * entry's before and after. A creation has only "after", a removal only "before".
 */
export function diffOf(before: unknown, after: unknown): Change[] {
  const a = flatten(before ?? undefined, '', new Map());
  const b = flatten(after ?? undefined, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths
    .filter((path) => a.get(path) !== b.get(path))
    .map((path) => ({ path, before: a.get(path), after: b.get(path) }));
}
