import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/** A random token with a readable prefix, e.g. `lojal_sk_…` (256 bits of entropy). */
export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * API keys are random 256-bit tokens, so a fast hash is enough to store them safely
 * (argon2 is for low-entropy passwords and would cost ~50 ms per request).
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** base64(HMAC-SHA256(secret, body)) compared in constant time with the header value. */
export function hmacSha256Base64Matches(secret: string, body: Buffer, signature: string): boolean {
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(signature.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function hmacSha256Base64(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** Encrypts secrets that must be read back (webhook secrets, saved responses): AES-256-GCM. */
export class SecretBox {
  private readonly key: Buffer;
  private readonly derived = new Map<string, Buffer>();

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    this.key = key;
  }

  static fromString(encoded: string): SecretBox {
    const key = /^[0-9a-f]{64}$/i.test(encoded)
      ? Buffer.from(encoded, 'hex')
      : Buffer.from(encoded, 'base64');
    return new SecretBox(key);
  }

  /** The key itself, only to hand to the processor thread of this same process. */
  exportKey(): Buffer {
    return Buffer.from(this.key);
  }

  seal(plain: Buffer | string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** A key for one purpose (signed links, tokens), derived from the instance key with HKDF. */
  signingKey(purpose: string): Buffer {
    let key = this.derived.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `lojal:${purpose}`, 32));
      this.derived.set(purpose, key);
    }
    return key;
  }

  open(sealed: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  }
}
