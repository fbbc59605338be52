import { z } from 'zod';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A self-hosted shop's address (https://sklep.pl, or https://example.pl/sklep in a folder) for a
 * platform whose calls carry `secret` with every request: https only, except to this machine
 * (tests and local development; the outbound policy refuses loopback in production), no user
 * name, query or fragment; the trailing slash dropped.
 */
export function shopAddressSchema(secret: string) {
  return z
    .string()
    .trim()
    .url('must be the shop address, e.g. https://sklep.pl')
    .refine((value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
    }, `must start with https:// (the ${secret} travels with every call)`)
    .refine((value) => {
      const url = new URL(value);
      return !url.username && !url.password && !url.search && !url.hash;
    }, 'must be the plain shop address, without a user name, query or fragment')
    .transform((value) => value.replace(/\/+$/, ''));
}
