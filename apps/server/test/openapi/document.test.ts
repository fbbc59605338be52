import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

let t: TestApp;
let doc: {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => t.close());

function operations() {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );
}

const PROBLEM_REF = '#/components/schemas/Problem';
const PROBLEM_JSON = 'application/problem+json';

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document whose every $ref resolves', async () => {
    // Code generators and fuzzers refuse a document with a dangling reference.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('describes problems with one shared schema, sent as application/problem+json', () => {
    const problemSchemas = Object.keys(doc.components.schemas).filter((k) => /problem/i.test(k));
    expect(problemSchemas).toEqual(['Problem']);
    const sharedProblem = (schema: unknown) => {
      const s = schema as { $ref?: string; allOf?: { $ref?: string }[] } | undefined;
      return s?.$ref === PROBLEM_REF || s?.allOf?.[0]?.$ref === PROBLEM_REF;
    };
    const wrong = operations().flatMap(({ name, op }) => {
      // Pages for people (survey and review links) answer a bad link with a page.
      const page = op.responses['200']?.content?.['text/html'] !== undefined;
      return Object.entries(op.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(([, r]) => {
          const types = Object.keys(r.content ?? {});
          if (page && types.join() === 'text/html') return false;
          return !types.includes(PROBLEM_JSON) || !sharedProblem(r.content![PROBLEM_JSON]!.schema);
        })
        .map(([status]) => `${name} ${status}`);
    });
    expect(wrong).toEqual([]);
  });

  it('documents the answers each kind of route gives: auth, ids, bodies, Idempotency-Key', () => {
    const missing: string[] = [];
    for (const { name, op } of operations()) {
      const documented = new Set(Object.keys(op.responses).map(Number));
      const need = (statuses: number[], why: string) => {
        for (const s of statuses) if (!documented.has(s)) missing.push(`${name}: ${s} (${why})`);
      };
      const secured = op.security === undefined || op.security.length > 0;
      if (secured) need([401], 'credentials');
      const params = op.parameters ?? [];
      if (params.some((p) => p.in === 'path')) need([400, 404, 414], 'path ids');
      if (params.some((p) => p.in === 'query')) need([400], 'query');
      if (op.requestBody) need([400, 413, 415], 'a body');
      if (params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key'))
        need([409], 'Idempotency-Key');
    }
    expect(missing).toEqual([]);
  });

  it('names the Idempotency-Key header on the POST routes that honour it', () => {
    const header = (op: Operation | undefined) =>
      op?.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
    expect(header(doc.paths['/v1/gift-cards']!.post)).toBeTruthy();
    expect(header(doc.paths['/v1/customers/{customerId}/redemptions']!.post)).toBeTruthy();
    expect(header(doc.paths['/v1/customers/{customerId}/ledger']!.get)).toBeUndefined();
  });

  it('lets the public routes go without credentials', () => {
    for (const [path, method] of [
      ['/health', 'get'],
      ['/v1/webhooks/shopify/{shopId}', 'post'],
      ['/v1/webhooks/shoper/{shopId}', 'post'],
      ['/r/{referralCode}', 'get'],
    ] as const) {
      expect(doc.paths[path]![method]!.security, `${method} ${path}`).toEqual([]);
    }
  });
});
