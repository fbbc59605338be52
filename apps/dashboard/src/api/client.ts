/**
 * The one way the dashboard talks to Lojal: same-origin fetch with the session cookie, the
 * chosen shop in `Lojal-Shop`, and every failure turned into an ApiError carrying the
 * problem+json (field errors, and the wait of a 429).
 */

/** A field error of problem+json: the server's English message and the facts behind it. */
export interface FieldError {
  path: string;
  message: string;
  code?: string;
  minimum?: number;
  maximum?: number;
  exclusive?: boolean;
  origin?: string;
  format?: string;
  values?: Array<string | number | boolean | null>;
}

let wording: (error: FieldError) => string = (error) => error.message;
/** How field errors are said in the chosen language (set by the LocaleProvider). */
export function setFieldErrorWording(word: (error: FieldError) => string): void {
  wording = word;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[],
    /** Seconds to wait, from Retry-After (429). */
    readonly retryAfter: number | null,
  ) {
    super(detail ?? title);
  }

  /** The problem type's last segment, e.g. `otp-required`. */
  get code(): string {
    return this.type.split('/').pop() ?? this.type;
  }

  /** The error of a field, in the dashboard's language when the facts allow it. */
  fieldError(path: string): string | undefined {
    const error = this.errors.find((e) => e.path === path);
    return error && wording(error);
  }

  /** The first error of a field or of one of its parts (`name.pl` for `name`), worded alike. */
  fieldErrorWithin(path: string): string | undefined {
    const error = this.errors.find((e) => e.path === path || e.path.startsWith(`${path}.`));
    return error && wording(error);
  }
}

/**
 * Query options that ask again while the server is busy (429/503 with Retry-After: e.g. the
 * shop's renders all in use), after the time it asks for; other errors are shown at once.
 */
export const retryWhileBusy = {
  retry: (count: number, error: Error) =>
    count < 5 && error instanceof ApiError && (error.status === 429 || error.status === 503),
  retryDelay: (_count: number, error: Error) =>
    error instanceof ApiError && error.retryAfter ? error.retryAfter * 1000 : 1000,
};

let currentShop: string | null = null;
export function setCurrentShop(shopId: string | null): void {
  currentShop = shopId;
}

interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Send no Lojal-Shop header (sign-in, /v1/me, invitations). */
  noShop?: boolean;
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!options.noShop && currentShop) headers['lojal-shop'] = currentShop;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'Network error', undefined, [], null);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem = (json ?? {}) as {
      type?: string;
      title?: string;
      detail?: string;
      errors?: FieldError[];
    };
    const retry = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      problem.type ?? `http-${response.status}`,
      problem.title ?? response.statusText,
      problem.detail,
      Array.isArray(problem.errors) ? problem.errors : [],
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
