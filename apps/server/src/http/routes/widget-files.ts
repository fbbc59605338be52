import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from '../../shared/errors.ts';

// The loader and esbuild's `name-hash.js` chunks: nothing else is ever read from the folder.
const CHUNK_NAME = /^[\w-]+\.js$/;

interface Loaded {
  mtimeMs: number;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

const notBuilt = () =>
  new Problem(
    503,
    'widget-not-built',
    'Widget not built',
    'The storefront widget has not been built: `npm start` builds it, or `npm run build -w @lojal/widget`.',
  );

/**
 * The storefront widget, loaded by shops' pages from their own origins: `/widget.js` (the
 * loader; cached 5 minutes, revalidated by ETag, so a new build reaches shops quickly) and
 * `/widget/<chunk>` (hashed names, cached for a year). Anyone may load them from anywhere
 * (`access-control-allow-origin: *`, cross-origin resource policy); they are static files, so
 * not rate-limited: a busy shop's shoppers share few addresses behind carrier NAT.
 */
export function widgetFileRoutes(app: FastifyInstance, distDir: string): void {
  const cache = new Map<string, Loaded>();

  async function load(file: string): Promise<Loaded | null> {
    const where = path.join(distDir, file);
    const info = await stat(where).catch(() => null);
    if (!info?.isFile()) return null;
    const known = cache.get(file);
    if (known && known.mtimeMs === info.mtimeMs) return known;
    const body = await readFile(where);
    const loaded = {
      mtimeMs: info.mtimeMs,
      body,
      gzip: gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    };
    cache.set(file, loaded);
    return loaded;
  }

  function send(request: FastifyRequest, reply: FastifyReply, file: Loaded, cacheControl: string) {
    reply.headers({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': cacheControl,
      etag: file.etag,
      vary: 'accept-encoding',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    });
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      return reply.header('content-encoding', 'gzip').send(file.gzip);
    }
    return reply.send(file.body);
  }

  const options = { schema: { hide: true }, config: { auth: 'none', rateClass: 'none' } } as const;

  app.get('/widget.js', options, async (request, reply) => {
    const file = await load('widget.js');
    if (!file) throw notBuilt();
    return send(request, reply, file, 'public, max-age=300');
  });
  app.get<{ Params: { file: string } }>('/widget/:file', options, async (request, reply) => {
    const { file } = request.params;
    const found = CHUNK_NAME.test(file) && file !== 'widget.js' ? await load(file) : null;
    if (!found) throw new Problem(404, 'not-found', 'Not found', 'There is no such file.');
    return send(request, reply, found, 'public, max-age=31536000, immutable');
  });
}
