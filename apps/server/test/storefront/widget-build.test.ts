import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidgetInto, type WidgetManifest } from '../../src/app/widget-build.ts';
import { widgetFileRoutes } from '../../src/http/routes/widget-files.ts';
import { registerProblemHandler } from '../../src/http/problem-handler.ts';
import { registerSecurityHeaders } from '../../src/http/security-headers.ts';

// The size gates (issue 15): the loader at most 10,240 bytes gzip (Shopify's theme-check
// budget), the panel at most 35 KB. A real build, into a folder of the test's own.
const LOADER_BUDGET = 10_240;
const PANEL_BUDGET = 35_840;

let dir: string;
let manifest: WidgetManifest;
let app: FastifyInstance;

const gzipOf = async (file: string) =>
  gzipSync(await readFile(path.join(dir, file)), { level: 9 }).length;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lojal-widget-'));
  manifest = await buildWidgetInto(dir);
  app = Fastify();
  registerProblemHandler(app, 1_000_000);
  registerSecurityHeaders(app);
  widgetFileRoutes(app, dir);
  await app.ready();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the widget build', () => {
  it('keeps the loader within 10,240 bytes gzip and the panel within 35 KB', async () => {
    const panel = manifest.chunks.panel!;
    const sizes = { loader: await gzipOf('widget.js'), panel: await gzipOf(panel) };
    console.log(
      `widget sizes (gzip -9): widget.js ${sizes.loader} B of ${LOADER_BUDGET}; ` +
        `${panel} ${sizes.panel} B of ${PANEL_BUDGET}; ` +
        Object.entries(manifest.sizes)
          .map(([file, s]) => `${file} ${s.bytes} B raw`)
          .join(', '),
    );
    expect(sizes.loader).toBeLessThanOrEqual(LOADER_BUDGET);
    expect(sizes.panel).toBeLessThanOrEqual(PANEL_BUDGET);
    expect(manifest.sizes['widget.js']!.gzip).toBe(sizes.loader);
  });

  it('names each chunk by its content and bakes the names into the loader', async () => {
    expect(manifest.chunks.panel).toMatch(/^panel-[A-Z0-9]{8}\.js$/);
    const loader = await readFile(path.join(dir, 'widget.js'), 'utf8');
    for (const file of Object.values(manifest.chunks)) expect(loader).toContain(file);
    const panel = await readFile(path.join(dir, manifest.chunks.panel!), 'utf8');
    expect(panel).toContain('__lojal');
    expect(panel).toContain('"panel"');
  });
});

describe('serving the widget', () => {
  it('serves /widget.js to any origin, cached briefly, revalidated by ETag, gzip when asked', async () => {
    const plain = await app.inject({ method: 'GET', url: '/widget.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['access-control-allow-origin']).toBe('*');
    expect(plain.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(plain.headers['cache-control']).toBe('public, max-age=300');
    expect(plain.body).toBe(await readFile(path.join(dir, 'widget.js'), 'utf8'));

    const zipped = await app.inject({
      method: 'GET',
      url: '/widget.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('accept-encoding');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);

    const again = await app.inject({
      method: 'GET',
      url: '/widget.js',
      headers: { 'if-none-match': String(plain.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves chunks by their hashed names for a year, and nothing else', async () => {
    const chunk = await app.inject({ method: 'GET', url: `/widget/${manifest.chunks.panel}` });
    expect(chunk.statusCode).toBe(200);
    expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(chunk.headers['access-control-allow-origin']).toBe('*');
    for (const url of [
      '/widget/nothing-AAAA.js',
      '/widget/manifest.json',
      '/widget/..%2Fbuild.mjs',
      '/widget/widget.js',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers 503 with a problem before the widget is built', async () => {
    const empty = Fastify();
    registerProblemHandler(empty, 1_000_000);
    widgetFileRoutes(empty, path.join(dir, 'not-built'));
    const res = await empty.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ title: 'Widget not built' });
    await empty.close();
  });
});
