import type { FastifyInstance } from 'fastify';

/** HTML forms (survey, review and preference pages) post `application/x-www-form-urlencoded`. */
export function acceptFormBodies(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
}
