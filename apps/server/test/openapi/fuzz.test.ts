import fc from 'fast-check';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  bearer,
  createTestApp,
  createTestShop,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { valid, type Generation, type Schema } from './support/json-schema-arbitrary.ts';
import { invalidBody, invalidParameter, type SentBody } from './support/mutations.ts';

/**
 * Every operation of /openapi.json, driven by its own schemas: requests valid per the document
 * (reaching the seeded shop's real objects) and requests that are not, on the real app and
 * database. Every answer must be documented for its operation, valid against the documented
 * schema, never a 5xx, and every 4xx a problem+json. LOJAL_FUZZ_SEED varies the run.
 */
const CASES_PER_OPERATION = { valid: 10, invalid: 14 };
const SEED = Number(process.env.LOJAL_FUZZ_SEED ?? 20261206);
const NOW = '2026-11-20T12:00:00Z';

/** Operations left out, and why. */
const SKIPPED: Record<string, string> = {
  'GET /s/{*}':
    'a page for people behind a signed token; a generated token only finds the 404 page',
  'POST /s/{*}':
    'a page for people behind a signed token; a generated token only finds the 404 page',
  'GET /rv/{*}':
    'a page for people behind a signed token; a generated token only finds the 404 page',
  'POST /rv/{*}':
    'a page for people behind a signed token; a generated token only finds the 404 page',
  'DELETE /v1/api-keys/{keyId}': 'would revoke the key the fuzzer itself uses',
};

interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: Record<string, unknown>[];
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}
interface Case {
  label: string;
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: SentBody;
}

let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let doc: Doc;
const pools = new Map<string, Set<string>>();

function remember(pool: string, value: unknown) {
  if (typeof value !== 'string' || value === '') return;
  if (!pools.has(pool)) pools.set(pool, new Set());
  pools.get(pool)!.add(value);
}

const generation = (): Generation => ({
  components: doc.components.schemas,
  poolFor: (name) => {
    const base = name
      .replace(/Ids?$/, '')
      .replace(/([a-z])([A-Z])/g, '$1-$2')
      .toLowerCase();
    if (!base || base === name.toLowerCase()) return [...(pools.get(`name:${name}`) ?? [])];
    return [...pools.entries()]
      .filter(([key]) => key.split('/').at(-1)!.replace(/s$/, '').endsWith(base))
      .flatMap(([, values]) => [...values]);
  },
});

beforeAll(async () => {
  const clock = fixedClock(NOW);
  const limits = { apiRateLimit: 1e9, ingestRateLimit: 1e9, publicRateLimit: 1e9 };
  t = await createTestApp({
    clock,
    config: { couponRateLimit: 1e9, couponRateLimitPerAddress: 1e9, ...limits },
  });
  shop = await createTestShop(t);
  // A shop with customers and orders, so that ids in valid requests find real objects.
  const at = '2026-11-10T10:00:00Z';
  await send(
    t,
    shop,
    orderPaid('o1', { id: 'c1', email: 'ala@example.com' }, at, { total: 12_000 }),
    orderPaid('o2', { id: 'c2', email: 'ola@example.com' }, at, { total: 5_000 }),
    orderPaid('o3', 'c1', '2026-11-12T10:00:00Z', { total: 30_000 }),
  );
  for (const id of ['c1', 'c2']) remember('/v1/customers', id);
  for (const id of ['o1', 'o2', 'o3']) remember('/v1/orders', id);
  const c1 = (await t.app.inject({ url: '/v1/customers/c1', headers: bearer(shop.apiKey) })).json();
  remember('name:referralCode', c1.referralCode);
  remember('/v1/shops', shop.id);
  remember('name:shopId', shop.id);
  remember('name:shop', shop.id);
  for (const currency of ['PLN', 'EUR']) remember('name:currency', currency);
  remember('name:timezone', 'Europe/Warsaw');
  doc = (await t.app.inject({ url: '/openapi.json' })).json();
}, 120_000);
afterAll(() => t?.close());

function operations() {
  // Creations first, so that reads and changes find what they made; deletions last.
  const rank = (method: string, path: string) =>
    method === 'POST' && !path.includes('{')
      ? 0
      : method === 'GET'
        ? 1
        : method === 'DELETE'
          ? 3
          : 2;
  return Object.entries(doc.paths)
    .flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    )
    .filter((o) => !(`${o.method} ${o.path}` in SKIPPED))
    .sort(
      (a, b) => rank(a.method, a.path) - rank(b.method, b.path) || a.path.localeCompare(b.path),
    );
}

/** The collection a path parameter indexes: `/v1/rewards/{rewardId}` → `/v1/rewards`. */
function collectionOf(path: string, param: string) {
  return path.slice(0, path.indexOf(`{${param}}`) - 1);
}

function caseArbitrary(path: string, op: Operation, g: Generation, validOnly: boolean) {
  const params = op.parameters ?? [];
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  const paramArb = (p: (typeof params)[number]) => {
    const pool =
      p.in === 'path'
        ? [...(pools.get(collectionOf(path, p.name)) ?? []), ...g.poolFor(p.name)]
        : g.poolFor(p.name);
    const good = pool.length
      ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, valid(p.schema, g, p.name))
      : valid(p.schema, g, p.name);
    return good.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  };
  const values = fc.record(
    Object.fromEntries(
      params.map((p) => [
        `${p.in}:${p.name}`,
        p.required || p.in === 'path'
          ? paramArb(p)
          : fc.option(paramArb(p), { nil: undefined, freq: 2 }),
      ]),
    ),
  );
  const validBody = bodySchema ? valid(bodySchema, g) : fc.constant(undefined);
  const sent = (v: unknown): SentBody | undefined =>
    v === undefined
      ? undefined
      : { label: 'valid', raw: JSON.stringify(v), contentType: 'application/json' };
  const build = (label: string, vals: Record<string, unknown>, body?: SentBody): Case => {
    const c: Case = { label, path: {}, query: {}, headers: {}, body };
    for (const [key, v] of Object.entries(vals)) {
      if (v === undefined) continue;
      const [where, name] = key.split(':') as [string, string];
      if (where === 'path') c.path[name] = String(v);
      else if (where === 'query') c.query[name] = String(v);
      else if (where === 'header') c.headers[name.toLowerCase()] = String(v);
    }
    return c;
  };
  if (validOnly) return fc.tuple(values, validBody).map(([v, b]) => build('valid', v, sent(b)));
  const mutations: fc.Arbitrary<Case>[] = [];
  if (bodySchema)
    mutations.push(fc.tuple(values, invalidBody(validBody)).map(([v, b]) => build(b.label, v, b)));
  for (const p of params) {
    const key = `${p.in}:${p.name}`;
    mutations.push(
      fc
        .tuple(values, validBody, invalidParameter)
        .map(([v, b, bad]) => build(`bad ${p.in} ${p.name}`, { ...v, [key]: bad }, sent(b))),
    );
  }
  if (mutations.length === 0) {
    // Nothing to break but the body the route does not take.
    mutations.push(
      fc
        .tuple(values, invalidBody(fc.constant({ a: 1 })))
        .map(([v, b]) => build(`stray body: ${b.label}`, v, b)),
    );
  }
  return fc.oneof(...mutations);
}

function encodeSegment(value: string) {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate: send the bytes a careless client would (invalid UTF-8).
    return value
      .replace(/[\ud800-\udfff]/g, '%ED%A0%80')
      .replace(/[^\w%-]/g, (ch) => encodeURIComponent(ch));
  }
}

function urlOf(path: string, c: Case) {
  const filled = path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    name === '*' ? encodeSegment(c.path[name] ?? '') : encodeSegment(c.path[name] ?? ''),
  );
  const query = Object.entries(c.query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeSegment(v)}`)
    .join('&');
  return query ? `${filled}?${query}` : filled;
}

function credentialsFor(op: Operation): Record<string, string> {
  if (op.security === undefined) return bearer(shop.apiKey);
  if (op.security.some((s) => 'operatorToken' in s)) return bearer(ADMIN_TOKEN);
  return {};
}

const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: false });
addFormats.default(ajv);
const validators = new Map<string, ValidateFunction>();
const DOC_ID = 'https://lojal.test/openapi.json';

function validatorFor(key: string, schema: Schema): ValidateFunction {
  let v = validators.get(key);
  if (!v) {
    if (!ajv.getSchema(DOC_ID)) ajv.addSchema({ $id: DOC_ID, components: doc.components });
    const absolute = JSON.parse(
      JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`),
    );
    v = ajv.compile(absolute);
    validators.set(key, v);
  }
  return v;
}

interface Finding {
  operation: string;
  label: string;
  problem: string;
  request: string;
  answer: string;
}

function check(
  operation: string,
  op: Operation,
  c: Case,
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
): string | null {
  const status = res.statusCode;
  if (status >= 500) return `${status}`;
  const documented = op.responses[String(status)] ?? op.responses.default;
  if (!documented) return `undocumented ${status}`;
  const type = String(res.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  if (status >= 400 && !(type === 'text/html' && documented.content?.['text/html'])) {
    if (type !== 'application/problem+json') return `${status} as ${type}, not problem+json`;
    const body = JSON.parse(res.body);
    if (typeof body.type !== 'string' || typeof body.title !== 'string' || body.status !== status)
      return `${status} problem without type/title/status`;
  }
  if (status === 204 || !documented.content) return null;
  const media = documented.content[type];
  if (!media)
    return `${status} as ${type}, documented as ${Object.keys(documented.content).join(', ')}`;
  if (!media.schema || !/json/.test(type)) return null;
  const validate = validatorFor(`${operation} ${status} ${type}`, media.schema);
  if (!validate(JSON.parse(res.body)))
    return `${status} body not as documented: ${ajv.errorsText(validate.errors)}`;
  return null;
}

describe('every operation, fuzzed from its schemas', () => {
  it('answers every generated request with a documented, well-formed, non-5xx answer', async () => {
    const findings: Finding[] = [];
    const succeeded = new Set<string>();
    let cases = 0;
    const started = Date.now();
    const g = generation();
    let seed = SEED;
    for (const { method, path, op } of operations()) {
      const operation = `${method} ${path}`;
      const samples = [
        ...fc.sample(caseArbitrary(path, op, g, true), {
          seed: seed++,
          numRuns: CASES_PER_OPERATION.valid,
        }),
        ...fc.sample(caseArbitrary(path, op, g, false), {
          seed: seed++,
          numRuns: CASES_PER_OPERATION.invalid,
        }),
      ];
      for (const c of samples) {
        cases++;
        const res = await t.app.inject({
          method: method as 'GET',
          url: urlOf(path, c),
          headers: {
            ...credentialsFor(op),
            ...c.headers,
            ...(c.body && { 'content-type': c.body.contentType }),
          },
          ...(c.body && { payload: c.body.raw }),
        });
        const problem = check(operation, op, c, res);
        if (problem) {
          findings.push({
            operation,
            label: c.label,
            problem,
            request: `${urlOf(path, c)} ${c.body?.raw.slice(0, 300) ?? ''}`,
            answer: res.body.slice(0, 300),
          });
        }
        if (res.statusCode < 300) succeeded.add(operation);
        if (res.statusCode < 300 && /^[[{]/.test(res.body)) harvest(method, path, res.json());
      }
    }
    console.log(
      `OpenAPI fuzz: ${cases} cases over ${operations().length} operations in ${Date.now() - started} ms (seed ${SEED}); ${Object.keys(SKIPPED).length} operations skipped; ${succeeded.size} answered 2xx at least once`,
    );
    const never = operations()
      .map((o) => `${o.method} ${o.path}`)
      .filter((o) => !succeeded.has(o));
    console.log(`Never a 2xx: ${never.join(', ')}`);
    const distinct = new Map(
      findings.map((f) => [`${f.operation} | ${f.problem.slice(0, 80)}`, f]),
    );
    expect([...distinct.values()]).toEqual([]);
  }, 600_000);
});

/** Ids in answers become real ids for later requests: a created reward, a listed segment. */
function harvest(method: string, path: string, body: Record<string, unknown>) {
  if (path.includes('{') && method !== 'POST') return;
  const collection = path.includes('{') ? path.slice(0, path.indexOf('{') - 1) : path;
  const items = Array.isArray(body) ? body : Array.isArray(body.data) ? body.data : [body];
  for (const item of items.slice(0, 5) as Record<string, unknown>[]) {
    if (item && typeof item === 'object') {
      remember(collection, item.id);
      if (typeof item.code === 'string') remember(collection, item.code);
    }
  }
}
