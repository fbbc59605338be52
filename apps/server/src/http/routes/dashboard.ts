import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Problem } from '../../shared/errors.ts';
import { DASHBOARD_NONCE_PLACEHOLDER, dashboardCsp } from '../security-headers.ts';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
// Built asset names are Vite's `name-hash.ext`: nothing else is ever read from the folder.
const ASSET_NAME = /^[\w-]+\.(js|css|svg|png|woff2|json)$/;

const notBuilt = () =>
  new Problem(
    503,
    'dashboard-not-built',
    'Dashboard not built',
    'The dashboard has not been built: `npm start` builds it, or `npm run build -w @lojal/dashboard`.',
  );

/**
 * A page of the dashboard's Vite build (index.html, the staff app's staff.html) with a fresh
 * CSP nonce in place of the build's placeholder, under the dashboard's CSP; `missing` when the
 * build is not there.
 */
export async function sendBuiltPage(
  reply: FastifyReply,
  file: string,
  cacheControl: 'no-store' | 'no-cache',
  missing: () => Problem,
) {
  let html: string;
  try {
    html = await readFile(file, 'utf8');
  } catch {
    throw missing();
  }
  const nonce = randomBytes(18).toString('base64');
  return reply
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': cacheControl,
      'content-security-policy': dashboardCsp(nonce),
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
    })
    .send(html.replaceAll(DASHBOARD_NONCE_PLACEHOLDER, nonce));
}

/**
 * The dashboard at `/admin`: its hashed assets (cached for a year) and, for every other
 * address under it (`/admin`, `/admin/customers/123`, …), index.html, so deep links open the
 * app, which routes itself. Each index.html gets a fresh CSP nonce and is never cached.
 */
export function dashboardRoutes(app: FastifyInstance, distDir: string): void {
  const hide = { schema: { hide: true } } as const;

  const sendIndex = (reply: FastifyReply) =>
    sendBuiltPage(reply, path.join(distDir, 'index.html'), 'no-store', notBuilt);

  app.get('/admin', hide, (_request, reply) => sendIndex(reply));
  app.get<{ Params: { file: string } }>('/admin/assets/:file', hide, async (request, reply) => {
    const { file } = request.params;
    const where = path.join(distDir, 'assets', file);
    const found = ASSET_NAME.test(file) ? await stat(where).catch(() => null) : null;
    if (!found?.isFile()) {
      throw new Problem(404, 'not-found', 'Not found', 'There is no such file.');
    }
    return reply
      .headers({
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-length': found.size,
        'cache-control': 'public, max-age=31536000, immutable',
        'cross-origin-resource-policy': 'same-origin',
      })
      .send(createReadStream(where));
  });
  app.get('/admin/*', hide, (_request, reply) => sendIndex(reply));
}
