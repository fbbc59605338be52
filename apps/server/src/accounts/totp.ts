import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6238 with the defaults every authenticator app uses: HMAC-SHA1, 30 s steps, 6 digits. */
const STEP_SECONDS = 30;
const DIGITS = 6;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new 160-bit secret (RFC 4226 recommends 160 bits for HMAC-SHA1). */
export function newTotpSecret(): Buffer {
  return randomBytes(20);
}

/** The code for a moment; `digits` only for the RFC's 8-digit test vectors. */
export function totpCode(secret: Buffer, at: Date, digits = DIGITS): string {
  const counter = Math.floor(at.getTime() / 1000 / STEP_SECONDS);
  return hotp(secret, counter, digits);
}

/** RFC 4226: HMAC-SHA1 of the 8-byte counter, dynamically truncated. */
function hotp(secret: Buffer, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * True when the code is the one for now or one step either side (a phone's clock a little off,
 * a code typed as it changed). Compared in constant time.
 */
export function totpMatches(secret: Buffer, code: string, now: Date): boolean {
  const given = Buffer.from(code.replace(/\s/g, ''));
  if (!/^\d{6}$/.test(given.toString())) return false;
  let ok = false;
  for (const step of [-1, 0, 1]) {
    const at = new Date(now.getTime() + step * STEP_SECONDS * 1000);
    const expected = Buffer.from(totpCode(secret, at));
    if (timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}

/** RFC 4648 base32 without padding: how authenticator apps take the secret. */
export function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The otpauth:// URI an authenticator app reads from a QR code. */
export function otpauthUri(secret: Buffer, account: string, issuer = 'Lojal'): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const params = new URLSearchParams({
    secret: base32(secret),
    issuer,
    algorithm: 'SHA1',
    digits: String(DIGITS),
    period: String(STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
