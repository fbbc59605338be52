/**
 * The framework's floor for the accept path (bench/ingest.ts, "floor"): a plain Fastify server
 * with one route that does what any webhook receiver must — read the raw body, check its
 * HMAC-SHA256 signature against the header in constant time, parse the JSON — and answers 200.
 * No database, no Lojal code. Run as its own process: PORT=… SECRET=… node --import tsx floor-server.ts
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';

const secret = process.env.SECRET ?? '';
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
  done(null, body),
);
app.post('/v1/webhooks/shopify/:shop', async (request, reply) => {
  const body = request.body as Buffer;
  const given = Buffer.from(String(request.headers['x-shopify-hmac-sha256'] ?? ''), 'base64');
  const expected = createHmac('sha256', secret).update(body).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return reply.code(401).send({ title: 'bad signature' });
  }
  const order = JSON.parse(body.toString('utf8')) as { id?: unknown };
  if (order.id === undefined) return reply.code(422).send({ title: 'no id' });
  return reply.code(200).send({ received: true });
});
app.get('/health', async () => ({ ok: true }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
