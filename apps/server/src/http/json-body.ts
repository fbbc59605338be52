import type { FastifyInstance } from 'fastify';
import { problems } from '../shared/errors.ts';
import { duplicateKeyIn } from '../shared/json.ts';
import { MAX_BODY_NESTING, tooDeepJsonAt } from '../shared/nesting.ts';

/**
 * JSON bodies as Fastify parses them (prototype poisoning refused), except that a key given twice
 * in one object is refused rather than the last one kept: `{"points":1,"points":999999}` means
 * two things to two readers; and a body nested more than MAX_BODY_NESTING levels is refused before
 * any schema, evaluator or jsonb column recurses into it. Bodies sent as `text/plain` get 415, as any other type does.
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      const duplicate = duplicateKeyIn(body as string);
      if (duplicate !== null) return done(duplicateKeyProblem(duplicate), undefined);
      const tooDeep = tooDeepJsonAt(value, MAX_BODY_NESTING);
      if (tooDeep !== null) return done(tooDeepProblem(tooDeep), undefined);
      done(null, value);
    });
  });
}

export function duplicateKeyProblem(path: string) {
  return problems.validation(
    [{ path, message: 'appears twice in one object; give each key once' }],
    'The body gives the same key twice.',
  );
}

function tooDeepProblem(path: string) {
  return problems.validation(
    [{ path, message: `nests more than ${MAX_BODY_NESTING} levels` }],
    'The body nests too deeply.',
  );
}
