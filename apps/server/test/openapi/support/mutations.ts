import fc from 'fast-check';

/** A request body as sent: its bytes and media type, and what was done to it. */
export interface SentBody {
  label: string;
  raw: string;
  contentType: string;
}

type Json = unknown;
type Path = (string | number)[];

export const ODD_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  'a\u202eb',
  '\ufeff',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  'ｆｕｌｌ',
  '"\'<script>alert(1)</script>',
  '../../etc/passwd',
  '%00%ff',
  ' ',
  '',
  '1e309',
  '-0',
  'null',
  '__proto__',
  '9'.repeat(40),
];

const WRONG_TYPES: Json[] = ['text', 12345, -1, 1.5, true, null, [], {}, [1, 'a'], { a: 1 }];
const OUT_OF_RANGE: Json[] = [
  -1,
  0,
  2 ** 31,
  2 ** 53 + 2,
  1e15,
  -1e15,
  1e308,
  0.5,
  -0.0001,
  Number.MAX_SAFE_INTEGER,
];

function nodes(value: Json, path: Path = []): { path: Path; value: Json }[] {
  const here = [{ path, value }];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => nodes(v, [...path, i])));
  if (value !== null && typeof value === 'object')
    return here.concat(Object.entries(value).flatMap(([k, v]) => nodes(v, [...path, k])));
  return here;
}

function setAt(root: Json, path: Path, next: Json | typeof REMOVE): Json {
  if (path.length === 0) return next === REMOVE ? undefined : next;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (next === REMOVE) {
    if (Array.isArray(at)) at.splice(Number(last), 1);
    else delete at[last];
  } else at[last] = next;
  return copy;
}
const REMOVE = Symbol('remove');

const pick = <T>(items: T[], r: number): T => items[Math.abs(r) % items.length]!;

/** Bodies that are not what the operation takes, made from one that is. */
export function invalidBody(valid: fc.Arbitrary<Json>): fc.Arbitrary<SentBody> {
  const kinds = [
    'wrong-type',
    'missing-key',
    'out-of-range',
    'extra-key',
    'huge-string',
    'odd-unicode',
    'duplicate-key',
    'not-json',
    'text-plain',
    'wrong-root',
    'proto-key',
  ] as const;
  return fc
    .tuple(valid, fc.constantFrom(...kinds), fc.integer(), fc.integer())
    .map(([value, kind, r1, r2]) => mutate(value, kind, r1, r2));
}

function mutate(value: Json, kind: string, r1: number, r2: number): SentBody {
  const json = (v: Json, label = kind) => ({
    label,
    raw: JSON.stringify(v) ?? 'null',
    contentType: 'application/json',
  });
  const all = nodes(value);
  const leaves = (test: (v: Json) => boolean) => all.filter((n) => test(n.value));
  switch (kind) {
    case 'wrong-type': {
      const at = pick(all, r1);
      return json(
        setAt(value, at.path, pick(WRONG_TYPES, r2)),
        `wrong-type at ${at.path.join('.')}`,
      );
    }
    case 'missing-key': {
      const keyed = all.filter((n) => n.path.length > 0 && typeof n.path.at(-1) === 'string');
      if (keyed.length === 0) return json({});
      const at = pick(keyed, r1);
      return json(setAt(value, at.path, REMOVE), `missing ${at.path.join('.')}`);
    }
    case 'out-of-range': {
      const targets = leaves((v) => typeof v === 'number' || typeof v === 'string');
      if (targets.length === 0) return json(pick(OUT_OF_RANGE, r2));
      const at = pick(targets, r1);
      const next = typeof at.value === 'number' ? pick(OUT_OF_RANGE, r2) : 'y'.repeat(10_001);
      return json(setAt(value, at.path, next), `out-of-range at ${at.path.join('.')}`);
    }
    case 'extra-key': {
      const objects = leaves((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
      if (objects.length === 0) return json({ unexpected: 1 });
      const at = pick(objects, r1);
      return json(
        setAt(value, [...at.path, 'unexpectedKey'], pick(WRONG_TYPES, r2)),
        `extra key in ${at.path.join('.') || 'body'}`,
      );
    }
    case 'huge-string':
    case 'odd-unicode': {
      const strings = leaves((v) => typeof v === 'string');
      const next = kind === 'huge-string' ? 'z'.repeat(200_000) : pick(ODD_STRINGS, r2);
      if (strings.length === 0) return json(next);
      const at = pick(strings, r1);
      return json(setAt(value, at.path, next), `${kind} at ${at.path.join('.')}`);
    }
    case 'duplicate-key': {
      const raw = JSON.stringify(value) ?? 'null';
      const match = /^\{("(?:[^"\\]|\\.)*"):/.exec(raw);
      if (!match) return json(value, 'duplicate-key (no object)');
      return {
        label: kind,
        raw: `{${match[1]}:12345,${raw.slice(1)}`,
        contentType: 'application/json',
      };
    }
    case 'not-json':
      return {
        label: kind,
        raw: pick(['{', '{"a":}', "{'a':1}", 'nul', '[1,]', '\u0000'], r1),
        contentType: 'application/json',
      };
    case 'text-plain':
      return { label: kind, raw: JSON.stringify(value) ?? 'null', contentType: 'text/plain' };
    case 'wrong-root':
      return json(pick(['text', 1, [], null, true, [value]], r1));
    default:
      return {
        label: kind,
        raw: `{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}`,
        contentType: 'application/json',
      };
  }
}

/** Path or query values that are not what the parameter takes. */
export const invalidParameter: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ODD_STRINGS.filter((s) => s !== '')),
  fc.constantFrom('-1', '0', '1.5', '99999999999999999999', 'true', '2026-13-45', 'abc'),
  fc.constant('w'.repeat(1200)),
  fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
);
