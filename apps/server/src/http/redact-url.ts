/**
 * Secrets that travel in URLs, masked before a URL reaches a log line or an error report. The
 * links in customers' e-mails carry their only credential in the path (survey, review, message
 * links), gift-card codes are bearer value, and referral codes are a customer's own link.
 * API keys, staff and operator tokens travel in the Authorization header, which is never logged.
 */

export const REDACTED = '[redacted]';

/** Path prefixes whose next segment (or, for `/s/` and `/rv/`, everything after) is a secret. */
const SECRET_PATHS: { prefix: RegExp; rest: 'segment' | 'all' }[] = [
  { prefix: /^\/s\//, rest: 'all' }, // survey answers
  { prefix: /^\/rv\//, rest: 'all' }, // review forms
  { prefix: /^\/m\/[^/]+\//, rest: 'segment' }, // open, click, unsubscribe, preferences
  { prefix: /^\/r\/(?:[^/]+\/(?=[^/]+$))?/, rest: 'segment' }, // /r/{code}, /r/{shop}/{code}
  { prefix: /^\/v1\/gift-cards\/(?=[^/]+)/, rest: 'segment' }, // /v1/gift-cards/{code}/…
  { prefix: /^\/v1\/hooks\/[^/]+\//, rest: 'segment' }, // a connection's wake-up token
];

/** Query parameters whose value is a secret or a capability (a push endpoint). */
const SECRET_QUERY = /token|code|secret|key|sig|pass|ref|endpoint|auth|^q$|email|phone/i;

/**
 * The URL as it may be logged: secret path segments and secret query values replaced by
 * `[redacted]`, everything else (route shape, ids, paging) kept for debugging.
 */
export function redactUrl(url: string): string {
  return redactParts(url).url;
}

/** The secrets a URL carries, decoded and raw, to scrub from texts such as error messages. */
export function secretsInUrl(url: string): string[] {
  return redactParts(url).secrets;
}

/** Replaces every occurrence of the URL's secrets in a text. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}

/**
 * An error as pino would log it (type, message, stack and own fields such as PostgreSQL's
 * `detail`), with the URL's secrets scrubbed from every string in it.
 */
export function redactError(error: unknown, url: string): unknown {
  const secrets = secretsInUrl(url);
  if (secrets.length === 0) return error;
  return scrub(error, secrets, new Set());
}

function scrub(value: unknown, secrets: readonly string[], seen: Set<object>): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets, seen));
  // An error stays an error of its class, so the log still says what it was.
  const out = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
  if (value instanceof Error) {
    out.message = redactText(value.message, secrets);
    if (value.stack !== undefined) out.stack = redactText(value.stack, secrets);
    if (value.cause !== undefined) out.cause = scrub(value.cause, secrets, seen);
  }
  for (const [key, field] of Object.entries(value)) out[key] = scrub(field, secrets, seen);
  return out;
}

/** What of a request the log keeps (pino's `req` serializer): no headers, a redacted URL. */
export function requestForLog(request: {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

function redactParts(url: string): { url: string; secrets: string[] } {
  const secrets: string[] = [];
  const queryAt = url.indexOf('?');
  let path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? null : url.slice(queryAt + 1);
  for (const { prefix, rest } of SECRET_PATHS) {
    const match = prefix.exec(path);
    if (!match) continue;
    const head = match[0];
    const tail = path.slice(head.length);
    const slash = tail.indexOf('/');
    const secret = rest === 'all' || slash === -1 ? tail : tail.slice(0, slash);
    if (secret === '') break;
    addSecret(secrets, secret);
    path = head + REDACTED + tail.slice(secret.length);
    break;
  }
  if (query === null) return { url: path, secrets };
  const pairs = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq === -1) return pair;
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    // A search (`q`) may be a person's e-mail or phone: personal data stays out of the logs too.
    if (value === '' || !SECRET_QUERY.test(safeDecode(name))) return pair;
    addSecret(secrets, value);
    return `${name}=${REDACTED}`;
  });
  return { url: `${path}?${pairs.join('&')}`, secrets };
}

function addSecret(secrets: string[], raw: string) {
  secrets.push(raw);
  const decoded = safeDecode(raw.replaceAll('+', ' '));
  if (decoded !== raw) secrets.push(decoded);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
