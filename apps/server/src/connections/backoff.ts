/**
 * How long to wait after `failures` failures in a row: 30 s, 1 min, 2 min … at most an hour; a
 * platform's own Retry-After wins when it asks for longer.
 */
export function backoffMs(failures: number, retryAfterMs?: number): number {
  const own = Math.min(30_000 * 2 ** Math.max(0, failures - 1), 3_600_000);
  return Math.max(own, retryAfterMs ?? 0);
}
