import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { RouteConfig } from './context.ts';

/**
 * The OpenAPI document is built from the route schemas; this file adds, in one place, what
 * every route of a kind answers besides its own results: the problem+json errors of the auth,
 * rate-limit, validation, body and idempotency layers, the Idempotency-Key header, and the
 * credentials the route takes. A route names only the answers its own logic gives (a 422).
 */

type Transform = typeof jsonSchemaTransform;
type TransformArg = Parameters<Transform>[0];
type JsonSchema = Record<string, unknown>;

const PROBLEM_REF = '#/components/schemas/Problem';
const PROBLEM_JSON = 'application/problem+json';
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: a field, parameter or the JSON itself is not valid (errors[].path names it)',
  401: 'Unauthorized: the credential is missing or not valid',
  403: 'Forbidden',
  404: 'Not found: no such object in this shop',
  409: 'Conflict: the Idempotency-Key was used with another request, or the state does not allow it',
  413: 'Payload too large: the body exceeds the limit',
  414: 'URI too long: a part of the path is longer than the router takes',
  415: 'Unsupported media type: send JSON as application/json',
  422: 'Unprocessable: the request is valid but the rule it breaks is named in the problem',
  429: 'Too many requests: retry after Retry-After seconds',
  503: 'Service unavailable: retry later',
};

function problemResponse(status: number, description?: string) {
  return {
    description: description ?? DESCRIPTIONS[status] ?? 'Problem',
    content: { [PROBLEM_JSON]: { schema: { $ref: PROBLEM_REF } } },
    ...(status === 429 || status === 503
      ? { headers: { 'retry-after': { type: 'integer', description: 'seconds to wait' } } }
      : {}),
  };
}

/** The error answers a route gives by what it is: its credential, parameters, body, key. */
export function standardProblemStatuses(route: {
  method: string;
  config?: RouteConfig;
  hasParams: boolean;
  hasInput: boolean;
  takesIdempotencyKey: boolean;
}): number[] {
  const { auth, rateClass } = route.config ?? {};
  const statuses = new Set<number>();
  if (auth === 'shop' || auth === 'operator' || auth === 'metrics' || auth === 'user')
    statuses.add(401);
  // A signed-in person whose role may not use the route, or a cookie write from another origin.
  if (auth === 'shop' || (auth === 'user' && BODY_METHODS.has(route.method))) statuses.add(403);
  if (auth !== 'operator' && rateClass !== 'none') statuses.add(429);
  if (route.hasInput) statuses.add(400);
  // A path segment past the router's length limit is refused before the route runs.
  if (route.hasParams) [404, 414].forEach((s) => statuses.add(s));
  if (BODY_METHODS.has(route.method)) [400, 413, 415].forEach((s) => statuses.add(s));
  if (route.takesIdempotencyKey) statuses.add(409);
  return [...statuses].sort();
}

const PROBLEM_MEMBERS = ['type', 'title', 'status', 'detail', 'errors'];

/**
 * A route's own problem schema as the shared Problem plus what it adds (RFC 9457 extension
 * members, such as the render limit a template went past).
 */
function asProblemSchema(entry: JsonSchema): JsonSchema {
  if (entry.$ref === PROBLEM_REF) return entry;
  const properties = (entry.properties ?? {}) as JsonSchema;
  const extra = Object.fromEntries(
    Object.entries(properties).filter(([name]) => !PROBLEM_MEMBERS.includes(name)),
  );
  const required = ((entry.required ?? []) as string[]).filter((n) => !PROBLEM_MEMBERS.includes(n));
  return {
    allOf: [
      { $ref: PROBLEM_REF },
      { type: 'object', properties: extra, ...(required.length > 0 && { required }) },
    ],
  };
}

function headerNames(headers: unknown): string[] {
  return Object.keys(((headers as JsonSchema | undefined)?.properties ?? {}) as JsonSchema).map(
    (name) => name.toLowerCase(),
  );
}

/** jsonSchemaTransform, then the answers and header every route of its kind has. */
export const openApiTransform: Transform = (document: TransformArg) => {
  const result = jsonSchemaTransform(document);
  const schema = result.schema as JsonSchema & { hide?: boolean };
  if (!schema || schema.hide) return result;
  const route = (document as { route: { method: string | string[]; config?: RouteConfig } }).route;
  const method = [route.method].flat()[0]!.toUpperCase();
  const produces = (schema.produces as string[] | undefined) ?? ['application/json'];
  const html = produces.includes('text/html');
  const responses = { ...((schema.response as Record<string, unknown>) ?? {}) };

  // A route that names no result of its own still answers 200 in its media type.
  if (!Object.keys(responses).some((s) => s.startsWith('2'))) {
    responses['200'] = {
      description: 'OK',
      content: Object.fromEntries(produces.map((type) => [type, { schema: { type: 'string' } }])),
    };
  }
  for (const [status, entry] of Object.entries(responses)) {
    if (Number(status) >= 400 && !(entry as JsonSchema).content) {
      const own = entry as JsonSchema;
      const response = problemResponse(Number(status), own.description as string | undefined);
      response.content[PROBLEM_JSON] = { schema: asProblemSchema(own) as { $ref: string } };
      responses[status] = response;
    }
  }
  const addsKey = route.config?.idempotent === true && method === 'POST';
  for (const status of standardProblemStatuses({
    method,
    config: route.config,
    hasParams: schema.params !== undefined,
    hasInput: ['params', 'querystring', 'body', 'headers'].some((k) => schema[k] !== undefined),
    takesIdempotencyKey: addsKey || headerNames(schema.headers).includes('idempotency-key'),
  })) {
    responses[status] ??= problemResponse(status);
  }
  if (html) {
    // Pages for people answer a bad link or form with a page; programs get a 429 problem.
    const page = { schema: { type: 'string' } };
    for (const status of Object.keys(responses).filter((s) => s === '404' || s === '422')) {
      responses[status] = {
        description: DESCRIPTIONS[Number(status)],
        content: { 'text/html': page },
      };
    }
    const limited = responses['429'] as { content: Record<string, unknown> } | undefined;
    if (limited) limited.content = { ...limited.content, 'text/html': page };
  }

  const extra: JsonSchema = { response: responses };
  if (addsKey && !headerNames(schema.headers).includes('idempotency-key')) {
    const headers = (schema.headers as JsonSchema | undefined) ?? {
      type: 'object',
      properties: {},
    };
    extra.headers = {
      ...headers,
      properties: {
        ...(headers.properties as JsonSchema),
        'Idempotency-Key': {
          type: 'string',
          minLength: 1,
          maxLength: 255,
          description:
            'Retry safely: the same key and body get the first answer again; another body, 409',
        },
      },
    };
  }
  if (schema.security === undefined && route.config?.auth !== 'shop') {
    const auth = route.config?.auth;
    extra.security =
      auth === 'operator'
        ? [{ operatorToken: [] }]
        : auth === 'metrics'
          ? [{ metricsToken: [] }]
          : auth === 'user'
            ? [{ session: [] }]
            : [];
  }
  return { ...result, schema: { ...schema, ...extra } };
};

/** jsonSchemaTransformObject, without the component schemas nothing refers to. */
export const openApiTransformObject: typeof jsonSchemaTransformObject = (document) => {
  const result = jsonSchemaTransformObject(document) as {
    paths?: unknown;
    components?: { schemas?: Record<string, unknown> };
  };
  const schemas = result.components?.schemas;
  if (!schemas) return result as ReturnType<typeof jsonSchemaTransformObject>;
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (
        key === '$ref' &&
        typeof child === 'string' &&
        child.startsWith('#/components/schemas/')
      ) {
        const name = child.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(child);
    }
  };
  visit(result.paths);
  result.components!.schemas = Object.fromEntries(
    Object.entries(schemas).filter(([name]) => used.has(name)),
  );
  return result as ReturnType<typeof jsonSchemaTransformObject>;
};
