import fc from 'fast-check';

/** A JSON Schema (2020-12, as the OpenAPI 3.1 document holds it), loosely typed. */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
};

export interface Generation {
  components: Record<string, Schema>;
  /** Real ids and codes from the seeded shop, for a field or parameter of this name. */
  poolFor(name: string): string[];
}

const MAX_DEPTH = 4;
const SMALL = 1000;

export function resolve(schema: Schema, g: Generation): Schema {
  let s = schema;
  while (s.$ref) s = g.components[s.$ref.replace('#/components/schemas/', '')] ?? {};
  return s;
}

/** Values valid per the schema (as far as JSON Schema says; zod refinements may still refuse). */
export function valid(schema: Schema, g: Generation, name = '', depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, g);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    // Deep down, only the branches that end the recursion (a segment rule's condition).
    const usable =
      depth >= MAX_DEPTH ? branches.filter((b) => !JSON.stringify(b).includes('$ref')) : branches;
    return fc.oneof(
      ...(usable.length ? usable : branches).map((b) => valid(b, g, name, depth + 1)),
    );
  }
  if (s.allOf) return valid(mergeAll(s.allOf.map((b) => resolve(b, g))), g, name, depth);
  const types = [s.type ?? guessType(s)].flat();
  if (types.length > 1)
    return fc.oneof(...types.map((type) => valid({ ...s, type }, g, name, depth)));
  switch (types[0]) {
    case 'string':
      return stringFor(s, g, name);
    case 'integer':
      return integerFor(s);
    case 'number':
      return fc.oneof(
        integerFor(s),
        fc.double({ ...range(s), noNaN: true, noDefaultInfinity: true }),
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = s.minItems ?? 0;
      const max = depth >= MAX_DEPTH ? min : Math.min(s.maxItems ?? 3, Math.max(min, 3));
      return fc.array(valid(s.items ?? {}, g, singular(name), depth + 1), {
        minLength: min,
        maxLength: max,
      });
    }
    case 'object':
      return objectFor(s, g, depth);
    default:
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
  }
}

function guessType(s: Schema): string {
  if (s.properties || s.additionalProperties !== undefined) return 'object';
  if (s.items) return 'array';
  return 'any';
}

function mergeAll(parts: Schema[]): Schema {
  return parts.reduce<Schema>(
    (all, p) => ({
      ...all,
      ...p,
      properties: { ...all.properties, ...p.properties },
      required: [...(all.required ?? []), ...(p.required ?? [])],
    }),
    {},
  );
}

function singular(name: string) {
  return name.endsWith('Ids') ? name.slice(0, -1) : name;
}

function range(s: Schema) {
  const min = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : s.minimum;
  const max = s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : s.maximum;
  return {
    min: Math.max(min ?? -SMALL, -Number.MAX_SAFE_INTEGER),
    max: Math.min(max ?? 1e6, Number.MAX_SAFE_INTEGER),
  };
}

function integerFor(s: Schema): fc.Arbitrary<number> {
  const { min: lo, max: hi } = range(s);
  const min = Math.ceil(lo);
  const max = Math.floor(hi);
  if (min >= max) return fc.constant(min);
  const between = (a: number, b: number) =>
    fc.bigInt({ min: BigInt(a), max: BigInt(Math.max(a, b)) }).map(Number);
  // Small values mostly, and the edges: where sums overflow.
  return fc.oneof(
    between(Math.max(min, 0), Math.min(max, 100)),
    between(min, Math.min(max, min + SMALL)),
    between(min, max),
    fc.constantFrom(min, max),
  );
}

function stringFor(s: Schema, g: Generation, name: string): fc.Arbitrary<string> {
  const pool = g.poolFor(name);
  const base = formatted(s);
  return pool.length > 0
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, base)
    : base;
}

const dates = fc.date({
  min: new Date('2024-01-01T00:00:00Z'),
  max: new Date('2026-12-31T00:00:00Z'),
  noInvalidDate: true,
});

function formatted(s: Schema): fc.Arbitrary<string> {
  switch (s.format) {
    case 'date-time':
      return dates.map((d) => d.toISOString());
    case 'date':
      return dates.map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.stringMatching(/^[a-z]{1,8}@[a-z]{1,8}\.pl$/);
    case 'uri':
    case 'url':
      return fc.stringMatching(/^https:\/\/[a-z]{1,8}\.example\.com\/[a-z]{0,8}$/);
    case 'uuid':
      return fc.uuid();
  }
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 30, Math.max(min, 30));
  if (s.pattern) {
    try {
      const lengthOk = (v: string) => v.length >= min && v.length <= (s.maxLength ?? Infinity);
      return fc.stringMatching(new RegExp(s.pattern)).filter(lengthOk);
    } catch {
      // A pattern JavaScript cannot read: fall through to plain strings.
    }
  }
  return fc.string({ minLength: min, maxLength: max, unit: 'grapheme' });
}

function objectFor(s: Schema, g: Generation, depth: number): fc.Arbitrary<unknown> {
  const props = s.properties ?? {};
  const names = Object.keys(props);
  if (names.length === 0 && typeof s.additionalProperties === 'object') {
    return fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }),
      valid(s.additionalProperties, g, '', depth + 1),
      { maxKeys: 3 },
    );
  }
  const model = Object.fromEntries(names.map((n) => [n, valid(props[n]!, g, n, depth + 1)]));
  return fc.record(model, { requiredKeys: (s.required ?? []).filter((n) => n in props) });
}
