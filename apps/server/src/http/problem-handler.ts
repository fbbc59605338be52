import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { Problem, problems, type FieldError } from '../shared/errors.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { redactError, redactUrl } from './redact-url.ts';

const PROBLEM_JSON = 'application/problem+json';
// Seconds: a restart or failover takes a few; a full disk longer, but clients back off.
const DATABASE_RETRY_AFTER = 5;

/** Every error leaves as RFC 9457 problem+json; validation errors carry field paths. */
export function registerProblemHandler(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error, request.routeOptions.bodyLimit ?? bodyLimit);
    if (problem.status >= 500) {
      request.log.error({ err: redactError(error, request.url) }, 'request failed');
    }
    void reply
      .status(problem.status)
      .headers(problem.headers ?? {})
      .type(PROBLEM_JSON)
      .send(JSON.stringify(problem.toJSON()));
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = problems.notFound(`${request.method} ${redactUrl(request.url).split('?')[0]}`);
    void reply.status(404).type(PROBLEM_JSON).send(JSON.stringify(problem.toJSON()));
  });
}

/**
 * Errors the router meets before any route runs (Fastify's `frameworkErrors`): a path whose
 * percent-escapes are not UTF-8, or a path segment past `maxParamLength`. Problems too.
 */
export function sendFrameworkProblem(
  error: FastifyError,
  _request: import('fastify').FastifyRequest,
  reply: import('fastify').FastifyReply,
) {
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new Problem(414, 'uri-too-long', 'URI too long', 'A part of the path is too long.')
      : problems.badRequest('The URL is not valid: its percent-escapes are not UTF-8.');
  return sendProblem(reply, problem);
}

export function sendProblem(reply: import('fastify').FastifyReply, problem: Problem) {
  return reply
    .status(problem.status)
    .headers(problem.headers ?? {})
    .type(PROBLEM_JSON)
    .send(JSON.stringify(problem.toJSON()));
}

function toProblem(error: FastifyError, bodyLimit: number): Problem {
  if (error instanceof Problem) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext;
    const errors: FieldError[] = error.validation.map((issue) => {
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const prefix = where && where !== 'body' ? (where === 'querystring' ? 'query' : where) : '';
      return {
        path: [prefix, path].filter(Boolean).join('.'),
        message: issue.message ?? 'is invalid',
        ...issueFacts(issue.keyword, issue.params),
      };
    });
    return problems.validation(errors);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problems.payloadTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problems.unsupportedMediaType(error.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problems.badRequest('The request body is empty; a JSON body is required.');
  }
  // Input the schemas let through but PostgreSQL cannot store: the transaction rolled back.
  switch (error.code) {
    case '22P05':
    case '22021':
      return problems.badRequest('Strings may not contain the NUL character (\\u0000).');
    case '22003':
      return problems.badRequest('A number in the request is out of range.');
    case '22008':
      return problems.badRequest('A date in the request is out of range.');
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return problems.badRequest(`The body is not valid JSON: ${error.message}`);
  }
  // Down, restarting, read-only or full: nothing was stored, and the client should retry.
  if (isDatabaseUnavailable(error))
    return problems.unavailable('The database is unavailable; retry later.', DATABASE_RETRY_AFTER);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return new Problem(status, 'bad-request', 'Bad request', error.message);
  return new Problem(500, 'internal-error', 'Internal error', 'Something went wrong on our side.');
}

/**
 * The validator's issue as facts a client can word in its own language. Only bounds, formats
 * and allowed values: never the input, which may be a secret.
 */
function issueFacts(code: string, params: Record<string, unknown>): Partial<FieldError> {
  // A route's own rule (`custom`) says itself only in its message.
  if (code === 'custom') return {};
  const facts: Partial<FieldError> = { code };
  const number = (value: unknown) =>
    typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;
  if (code === 'too_small') {
    const minimum = number(params.minimum);
    if (minimum !== undefined) facts.minimum = minimum;
  }
  if (code === 'too_big') {
    const maximum = number(params.maximum);
    if (maximum !== undefined) facts.maximum = maximum;
  }
  if ((code === 'too_small' || code === 'too_big') && params.inclusive === false) {
    facts.exclusive = true;
  }
  if (typeof params.origin === 'string') facts.origin = params.origin;
  if (code === 'invalid_format' && typeof params.format === 'string') facts.format = params.format;
  if (code === 'invalid_value' && Array.isArray(params.values)) {
    facts.values = (params.values as unknown[]).filter(
      (v): v is string | number | boolean | null =>
        v === null || ['string', 'number', 'boolean'].includes(typeof v),
    );
  }
  return facts;
}
