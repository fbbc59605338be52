import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Problem } from '../../shared/errors.ts';
import { sendBuiltPage } from './dashboard.ts';

const notBuilt = () =>
  new Problem(
    503,
    'staff-app-not-built',
    'Staff app not built',
    'The staff app has not been built: `npm start` builds it, or `npm run build -w @lojal/dashboard`.',
  );

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
  dynamicImports?: string[];
}

/**
 * Every file the staff app's page loads or may load (its entry, the chunks it imports, the JS
 * QR decoder it loads on phones without BarcodeDetector, the style sheets), from Vite's
 * manifest: what its service worker keeps for the offline shell.
 */
export function staffAppFiles(manifest: Record<string, ManifestChunk>): string[] {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    chunk.css?.forEach((css) => files.add(css));
    [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])].forEach(visit);
  };
  visit('staff.html');
  return [...files].map((file) => `/admin/${file}`);
}

/** The service worker: the shell from its cache when offline; the API always from the network. */
export function serviceWorker(files: string[]): string {
  const shell = ['/staff/', '/staff/manifest.webmanifest', '/staff/icon-192.png', ...files];
  const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
  return `// Lojal staff app: the offline shell (docs/staff-app.md). Generated from the build.
const CACHE = 'lojal-staff-${version}';
const SHELL = ${JSON.stringify(shell)};
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('lojal-staff-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith('/staff')) {
    event.respondWith(fetch(request).catch(() => caches.match('/staff/')));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});
`;
}

/**
 * The staff counter app at `/staff/` (issue 18): the second page of the dashboard's Vite build
 * (staff.html; its hashed files are served under /admin/assets/ with the dashboard's), its web
 * app manifest, icons and service worker. The page gets the dashboard's CSP with a fresh nonce.
 */
export function staffAppRoutes(app: FastifyInstance, distDir: string): void {
  const hide = { schema: { hide: true } } as const;

  const sendPage = (reply: FastifyReply) =>
    sendBuiltPage(reply, path.join(distDir, 'staff.html'), 'no-cache', notBuilt);

  app.get('/staff', hide, (_request, reply) => reply.redirect('/staff/', 308));
  app.get('/staff/', hide, (_request, reply) => sendPage(reply));

  app.get('/staff/sw.js', hide, async (_request, reply) => {
    let manifest: Record<string, ManifestChunk>;
    try {
      manifest = JSON.parse(
        await readFile(path.join(distDir, '.vite', 'manifest.json'), 'utf8'),
      ) as Record<string, ManifestChunk>;
    } catch {
      throw notBuilt();
    }
    return reply
      .headers({
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-cache',
        // The worker's own policy: it fetches the shell from Lojal itself, nothing else.
        'content-security-policy': "default-src 'self'",
      })
      .send(serviceWorker(staffAppFiles(manifest)));
  });

  app.get('/staff/manifest.webmanifest', hide, async (request, reply) => {
    const polish = /^pl\b/i.test(request.headers['accept-language'] ?? '');
    return reply
      .headers({ 'content-type': 'application/manifest+json', 'cache-control': 'no-cache' })
      .send({
        name: polish ? 'Lojal · obsługa' : 'Lojal · staff',
        short_name: 'Lojal',
        description: polish
          ? 'Pieczątki, punkty, nagrody i karty podarunkowe przy kasie'
          : 'Stamps, points, rewards and gift cards at the counter',
        start_url: '/staff/',
        scope: '/staff/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#f1f3f5',
        theme_color: '#0b7285',
        icons: [192, 512].map((size) => ({
          src: `/staff/icon-${size}.png`,
          sizes: `${size}x${size}`,
          type: 'image/png',
          purpose: 'any maskable',
        })),
      });
  });

  app.get<{ Params: { size: string } }>('/staff/icon-:size.png', hide, async (request, reply) => {
    if (request.params.size !== '192' && request.params.size !== '512') {
      throw new Problem(404, 'not-found', 'Not found', 'There is no such file.');
    }
    const icon = await readFile(
      path.join(distDir, 'staff', `icon-${request.params.size}.png`),
    ).catch(() => null);
    if (!icon) throw notBuilt();
    return reply
      .headers({ 'content-type': 'image/png', 'cache-control': 'public, max-age=86400' })
      .send(icon);
  });
}
