import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('merchant accounts in the OpenAPI document', () => {
  it('documents the session cookie, the account routes and the audit log, and stays valid', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'lojal_session',
    });
    expect(doc.security).toEqual([{ apiKey: [] }, { session: [] }]);
    for (const [path, method] of [
      ['/v1/session', 'post'],
      ['/v1/session', 'delete'],
      ['/v1/me', 'get'],
      ['/v1/team/invitations', 'post'],
      ['/v1/invitations/accept', 'post'],
      ['/v1/password-resets', 'post'],
      ['/v1/audit-log', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const auditParams = doc.paths['/v1/audit-log'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(auditParams).toEqual(
      expect.arrayContaining(['from', 'to', 'actor', 'action', 'before']),
    );
    // The account routes on their own (other routes' schemas are other work's to check).
    const ours = Object.fromEntries(
      Object.entries(doc.paths as Record<string, Record<string, { tags?: string[] }>>).filter(
        ([, operations]) =>
          Object.values(operations).some((op) => op.tags?.includes('merchant accounts')),
      ),
    );
    expect(Object.keys(ours).length).toBeGreaterThanOrEqual(10);
    await SwaggerParser.validate(structuredClone({ ...doc, paths: ours }));
  });
});
