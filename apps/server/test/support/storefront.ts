import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { bearer, type TestApp } from './app.ts';

/** Makes the shop's storefront secret (POST /v1/storefront/secret) and returns it. */
export async function storefrontSecret(t: TestApp, shop: { apiKey: string }): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/storefront/secret',
    headers: bearer(shop.apiKey),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().secret as string;
}

/**
 * A customer token as a shop's backend signs one: HS256 with the storefront secret, `iat` from
 * the test's clock (or given), `exp` an hour later unless told.
 */
export async function customerToken(
  secret: string,
  sub: string,
  options: {
    now: Date;
    firstName?: string;
    email?: string;
    iat?: number;
    exp?: number;
    alg?: 'HS256' | 'HS512';
  },
): Promise<string> {
  const iat = options.iat ?? Math.floor(options.now.getTime() / 1000);
  const claims: Record<string, unknown> = {};
  if (options.firstName) claims.firstName = options.firstName;
  if (options.email) claims.email = options.email;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(iat)
    .setExpirationTime(options.exp ?? iat + 3600)
    .sign(new TextEncoder().encode(secret));
}
