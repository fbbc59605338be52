import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, retryWhileUnavailable } from '../../src/db/unavailable.ts';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('is true for a database that is down, restarting, read-only, full or unreachable', () => {
    for (const code of ['57P01', '57P02', '57P03', '25006', '53100', '53300', '08006', '08001'])
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'])
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')]))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('57P01') }))).toBe(true);
  });

  it('is false for errors of the request or the code', () => {
    for (const code of ['23505', '22P02', '40001', '42P01', 'ERR_INVALID_ARG_TYPE'])
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

describe('retryWhileUnavailable', () => {
  const shuttingDown = () =>
    Object.assign(new Error('the database system is shutting down'), { code: '57P03' });

  it('tries again while the database is unavailable, waiting longer each time, then answers', async () => {
    let tries = 0;
    const waits: number[] = [];
    const value = await retryWhileUnavailable(
      async () => {
        tries++;
        if (tries < 3) throw shuttingDown();
        return 'started';
      },
      (_error, waitMs) => waits.push(waitMs),
    );
    expect(value).toBe('started');
    expect(waits).toEqual([250, 500]);
  });

  it('gives up on an unavailable database once its patience has passed', async () => {
    let tries = 0;
    await expect(
      retryWhileUnavailable(
        async () => {
          tries++;
          throw shuttingDown();
        },
        () => undefined,
        { giveUpAfterMs: 600 },
      ),
    ).rejects.toThrow('shutting down');
    // At 0, 250 and 750 ms: the third failure comes after the patience (the second, on a
    // machine slow enough to wake late from the first wait).
    expect(tries).toBeGreaterThanOrEqual(2);
    expect(tries).toBeLessThanOrEqual(3);
  });

  it('throws any other failure at once', async () => {
    let tries = 0;
    await expect(
      retryWhileUnavailable(
        async () => {
          tries++;
          throw Object.assign(new Error('syntax error'), { code: '42601' });
        },
        () => undefined,
      ),
    ).rejects.toThrow('syntax error');
    expect(tries).toBe(1);
  });
});
