import type { FastifyInstance } from 'fastify';
import { problems, type Problem } from '../shared/errors.ts';
import { duplicateKeyIn, loneSurrogatePath } from '../shared/json.ts';
import { MAX_BODY_NESTING, tooDeepJsonAt } from '../shared/nesting.ts';

/**
 * JSON bodies as Fastify parses them (prototype poisoning refused), except that a key given twice
 * in one object is refused rather than the last one kept: `{"points":1,"points":999999}` means
 * two things to two readers. Bodies sent as `text/plain` get 415, as any other type does.
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      const problem = jsonBodyProblem(body as string, value);
      if (problem) return done(problem, undefined);
      done(null, value);
    });
  });
}

/**
 * What makes a parsed JSON body unusable though it parsed: a key given twice, nesting deeper than
 * any Lojal structure needs (deeper still overflows the stack of whoever walks it), or a string
 * with half a surrogate pair (it has no UTF-8 form, so PostgreSQL would refuse it later).
 */
export function jsonBodyProblem(raw: string, value: unknown): Problem | null {
  const duplicate = duplicateKeyIn(raw);
  if (duplicate !== null) return duplicateKeyProblem(duplicate);
  const tooDeep = tooDeepJsonAt(value, MAX_BODY_NESTING);
  if (tooDeep !== null) {
    return problems.validation(
      [{ path: tooDeep, message: `nests more than ${MAX_BODY_NESTING} levels` }],
      'The body nests too deeply.',
    );
  }
  const lone = raw.includes('\\u') || /[\uD800-\uDFFF]/.test(raw) ? loneSurrogatePath(value) : null;
  if (lone !== null) {
    return problems.validation(
      [{ path: lone, message: 'holds half of a UTF-16 surrogate pair, which is not text' }],
      'The body holds text that is not valid Unicode.',
    );
  }
  return null;
}

function duplicateKeyProblem(path: string) {
  return problems.validation(
    [{ path, message: 'appears twice in one object; give each key once' }],
    'The body gives the same key twice.',
  );
}
