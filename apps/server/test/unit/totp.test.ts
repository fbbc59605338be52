import { describe, expect, it } from 'vitest';
import { base32, otpauthUri, totpCode, totpMatches } from '../../src/accounts/totp.ts';

// RFC 6238 appendix B, the SHA-1 column: the 20-byte ASCII seed, 8-digit codes.
const SEED = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('at %i s gives the RFC test vector %s', (seconds, code) => {
    expect(totpCode(SEED, new Date(seconds * 1000), 8)).toBe(code);
  });

  it('gives the last six digits for authenticator apps', () => {
    expect(totpCode(SEED, new Date(59_000))).toBe('287082');
  });

  it('accepts the code of the step before and after, and no further', () => {
    const now = new Date(1111111111_000);
    const at = (steps: number) => totpCode(SEED, new Date(now.getTime() + steps * 30_000));
    expect(totpMatches(SEED, at(0), now)).toBe(true);
    expect(totpMatches(SEED, at(-1), now)).toBe(true);
    expect(totpMatches(SEED, at(1), now)).toBe(true);
    expect(totpMatches(SEED, at(-2), now)).toBe(false);
    expect(totpMatches(SEED, at(2), now)).toBe(false);
  });

  it('refuses anything but six digits', () => {
    const now = new Date(59_000);
    expect(totpMatches(SEED, '94287082', now)).toBe(false);
    expect(totpMatches(SEED, 'abcdef', now)).toBe(false);
    expect(totpMatches(SEED, '', now)).toBe(false);
  });

  it('writes the secret in RFC 4648 base32 for the app', () => {
    expect(base32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(otpauthUri(SEED, 'ala@example.pl')).toBe(
      'otpauth://totp/Lojal%3Aala%40example.pl?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Lojal&algorithm=SHA1&digits=6&period=30',
    );
  });
});
