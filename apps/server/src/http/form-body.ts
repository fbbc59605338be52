import type { FastifyInstance } from 'fastify';
import { problems } from '../shared/errors.ts';

/** More fields than any of Lojal's pages sends: parsing stops before the work grows. */
export const MAX_FORM_FIELDS = 100;

/** HTML forms (survey, review and preference pages) post `application/x-www-form-urlencoded`. */
export function acceptFormBodies(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = body as string;
      let fields = 1;
      for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
        if (++fields > MAX_FORM_FIELDS) {
          done(problems.badRequest(`A form may have at most ${MAX_FORM_FIELDS} fields.`));
          return;
        }
      }
      done(null, Object.fromEntries(new URLSearchParams(text)));
    },
  );
}
