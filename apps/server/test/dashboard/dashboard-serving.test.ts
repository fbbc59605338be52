import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRoutes } from '../../src/http/routes/dashboard.ts';
import { registerProblemHandler } from '../../src/http/problem-handler.ts';
import { registerSecurityHeaders } from '../../src/http/security-headers.ts';
import { dashboardBuildIsStale, ensureDashboardBuilt } from '../../src/app/dashboard-build.ts';

// /admin serves a Vite build: assets by name, index.html (with a fresh CSP nonce) for every other
// address under it, so that deep links open the app. A stand-in build keeps this test fast; the
// browser test runs the real one.
const INDEX =
  '<!doctype html><meta property="csp-nonce" nonce="__LOJAL_CSP_NONCE__">' +
  '<script type="module" crossorigin src="/admin/assets/index-abc123.js" nonce="__LOJAL_CSP_NONCE__"></script>';

let dir: string;
let app: FastifyInstance;
let empty: FastifyInstance;

async function serving(distDir: string) {
  const server = Fastify();
  registerProblemHandler(server, 1_000_000);
  registerSecurityHeaders(server);
  dashboardRoutes(server, distDir);
  await server.ready();
  return server;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lojal-dashboard-'));
  await mkdir(path.join(dir, 'dist', 'assets'), { recursive: true });
  await writeFile(path.join(dir, 'dist', 'index.html'), INDEX);
  await writeFile(path.join(dir, 'dist', 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'secret.txt'), 'not for the web');
  app = await serving(path.join(dir, 'dist'));
  empty = await serving(path.join(dir, 'nothing-here'));
});
afterAll(async () => {
  await app.close();
  await empty.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the dashboard at /admin', () => {
  it.each(['/admin', '/admin/', '/admin/customers/123', '/admin/sign-in?next=%2F'])(
    '%s answers index.html with a policy that allows no inline script',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-frame-options']).toBe('DENY');
      const csp = String(res.headers['content-security-policy']);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.body).not.toContain('__LOJAL_CSP_NONCE__');
      expect(res.body).toContain(`nonce="${nonce}"`);
    },
  );

  it('gives every load its own nonce', async () => {
    const policies = await Promise.all(
      [1, 2].map(async () => {
        const res = await app.inject({ method: 'GET', url: '/admin/' });
        return res.headers['content-security-policy'];
      }),
    );
    expect(policies[0]).not.toBe(policies[1]);
  });

  it('serves built assets for a year, and nothing outside the assets folder', async () => {
    const asset = await app.inject({ method: 'GET', url: '/admin/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe('console.log(1)');
    for (const url of [
      '/admin/assets/missing-1.js',
      '/admin/assets/..%2F..%2Fsecret.txt',
      '/admin/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain('not for the web');
    }
  });

  it('says plainly when the dashboard was not built (503 problem)', async () => {
    const res = await empty.inject({ method: 'GET', url: '/admin/customers/1' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 503, title: 'Dashboard not built' });
  });
});

describe('whether the dashboard needs a build', () => {
  it('is stale without dist/, fresh after, stale again when a source file changes', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'lojal-dashboard-src-'));
    try {
      await mkdir(path.join(root, 'src', 'pages'), { recursive: true });
      const page = path.join(root, 'src', 'pages', 'home.tsx');
      await writeFile(page, 'export {}');
      const old = new Date('2026-01-01T00:00:00Z');
      await utimes(page, old, old);
      await utimes(path.join(root, 'src', 'pages'), old, old);
      await utimes(path.join(root, 'src'), old, old);
      expect(await dashboardBuildIsStale(root)).toBe(true);

      await mkdir(path.join(root, 'dist'));
      await writeFile(path.join(root, 'dist', 'index.html'), INDEX);
      const built = new Date('2026-02-01T00:00:00Z');
      await utimes(path.join(root, 'dist', 'index.html'), built, built);
      expect(await dashboardBuildIsStale(root)).toBe(false);

      const edited = new Date('2026-03-01T00:00:00Z');
      await utimes(page, edited, edited);
      expect(await dashboardBuildIsStale(root)).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('builds when two starts need it at once: both succeed and one whole build is served', async () => {
    // A tiny Vite project beside this package, so that Vite resolves from the repository.
    const root = await mkdtemp(path.join(import.meta.dirname, '..', '..', '.build-twice-'));
    try {
      await writeFile(path.join(root, 'package.json'), '{"name":"two-builds","type":"module"}');
      await mkdir(path.join(root, 'src'));
      await writeFile(path.join(root, 'src', 'main.js'), 'document.title = "built";');
      await writeFile(
        path.join(root, 'index.html'),
        '<!doctype html><title>x</title><script type="module" src="/src/main.js"></script>',
      );
      const quiet = { info: () => {} };
      const both = await Promise.allSettled([
        ensureDashboardBuilt(quiet, root),
        ensureDashboardBuilt(quiet, root),
      ]);
      expect(both.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(await readFile(path.join(root, 'dist', 'index.html'), 'utf8')).toMatch(
        /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/,
      );
      // No half-built or left-over folders beside dist/.
      expect((await readdir(root)).filter((f) => f.startsWith('dist')).sort()).toEqual(['dist']);
      expect(await dashboardBuildIsStale(root)).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 120_000);

  it('is never stale without the sources (a checkout that ships only dist/)', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'lojal-dashboard-dist-'));
    try {
      expect(await dashboardBuildIsStale(root)).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
