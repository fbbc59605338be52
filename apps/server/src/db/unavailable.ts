// SQLSTATEs that say the database cannot take the work now, whatever the request: it is
// shutting down or starting (57P0x), out of disk, memory or connections (53xxx), read-only
// (25006: a standby, or writes switched off), or the connection itself failed (class 08).
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '25006', '58030']);
const UNAVAILABLE_CLASSES = ['08', '53'];
// No answer from the server at all.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// node-postgres says these without a code: the connection ended under a query, a dead client
// was used, or the pool found no connection in time.
const CLIENT_MESSAGES =
  /^(Connection terminated|Client was closed and is not queryable|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * Whether an error means "the database is unavailable for now" rather than "this request is
 * wrong" or "this code is broken": the answer is then 503 with Retry-After, and work is
 * retried later, never parked as failed.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_STATES.has(code) || NETWORK_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  if (CLIENT_MESSAGES.test(error.message)) return true;
  // Connecting to several addresses fails with all of their errors.
  if (
    error instanceof AggregateError &&
    error.errors.some((e) => isDatabaseUnavailable(e, depth + 1))
  )
    return true;
  return isDatabaseUnavailable(error.cause, depth + 1);
}

/**
 * Runs `attempt` until it succeeds, trying again while the database is unavailable (a restart,
 * a failover), after 250 ms, 500 ms, … at most 5 s. Any other failure is thrown at once, and so
 * is an unavailable one once `giveUpAfterMs` (when given) has passed since the first try.
 */
export async function retryWhileUnavailable<T>(
  attempt: () => Promise<T>,
  onRetry: (error: unknown, waitMs: number) => void,
  options: { giveUpAfterMs?: number } = {},
): Promise<T> {
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? Infinity);
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() >= giveUpAt || !isDatabaseUnavailable(error)) throw error;
      const waitMs = Math.min(250 * 2 ** tries, 5_000);
      onRetry(error, waitMs);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
