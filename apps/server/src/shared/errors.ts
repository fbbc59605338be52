/** One field-level problem, `path` in dotted form (`data.customer.id`, `lines.0.price`). */
export interface FieldError {
  path: string;
  message: string;
  /**
   * What is wrong, for a client to say it in its own words and language: the validator's
   * issue (`too_small`, `too_big`, `invalid_format`, `invalid_type`, `invalid_value`, …) with
   * its bounds. Absent when only the message says it.
   */
  code?: string;
  minimum?: number;
  maximum?: number;
  /** The bound itself is not allowed (more than, less than). */
  exclusive?: boolean;
  /** What the bound is on: `string` (characters), `array` (items), `number`, `date`, … */
  origin?: string;
  format?: string;
  values?: Array<string | number | boolean | null>;
}

/**
 * An error that becomes an RFC 9457 problem+json response. Feature code throws these;
 * the HTTP layer renders them. `code` is the last segment of `type` and stable for clients.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'Problem';
  }

  get type(): string {
    return `/problems/${this.code}`;
  }

  toJSON() {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail !== undefined && { detail: this.detail }),
      ...(this.errors !== undefined && { errors: this.errors }),
    };
  }
}

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is not valid.') =>
    new Problem(400, 'validation-error', 'Invalid request', detail, errors),
  badRequest: (detail: string) => new Problem(400, 'bad-request', 'Bad request', detail),
  unauthorized: (detail: string) => new Problem(401, 'unauthorized', 'Unauthorized', detail),
  notFound: (what: string) => new Problem(404, 'not-found', 'Not found', `${what} was not found.`),
  conflict: (detail: string) => new Problem(409, 'conflict', 'Conflict', detail),
  payloadTooLarge: (limit: number) =>
    new Problem(413, 'payload-too-large', 'Payload too large', `The body exceeds ${limit} bytes.`),
  unsupportedMediaType: (detail: string) =>
    new Problem(415, 'unsupported-media-type', 'Unsupported media type', detail),
  unprocessable: (code: string, title: string, detail: string) =>
    new Problem(422, code, title, detail),
  rateLimited: (retryAfterSeconds: number) =>
    new Problem(429, 'rate-limited', 'Too many requests', 'Slow down and retry later.', undefined, {
      'retry-after': String(retryAfterSeconds),
    }),
  unavailable: (detail: string, retryAfterSeconds?: number) =>
    new Problem(
      503,
      'unavailable',
      'Service unavailable',
      detail,
      undefined,
      retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) },
    ),
};
