import { createHash } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js';
import { toE164 } from '../shared/phone.ts';

/**
 * Ad platforms' customer-list formats (docs/audiences.md cites each platform's page). Every
 * identifier is normalised as its platform documents it, then SHA-256 hashed (lowercase hex);
 * only Google's Country and Zip stay plain, as Google's file format asks.
 */

/** What Lojal knows of one consenting customer; identifiers the customer did not consent to are null. */
export interface AudiencePerson {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  /** From the customer's latest shipping address. */
  city: string | null;
  zip: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
}

export type AudiencePlatform = 'meta' | 'google' | 'tiktok';

/**
 * Where a segment goes. Today each destination writes its platform's upload file; a direct
 * upload through the platform's API (`upload`) can be added once a shop connects its ad
 * account, with the same rows.
 */
export interface AudienceDestination {
  platform: AudiencePlatform;
  /** The file's header row, in the platform's exact column names. */
  header: string[];
  /** One person's row, or null when nothing of them can be matched on this platform. */
  row(person: AudiencePerson): string[] | null;
  upload?: (rows: AsyncIterable<string[]>) => Promise<{ uploaded: number }>;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Trimmed and lower-cased; null when it holds no "@" (no address to match). */
export function normaliseEmail(email: string | null): string | null {
  const trimmed = email?.trim().toLowerCase() ?? '';
  return trimmed.includes('@') ? trimmed : null;
}

/** E.164 (+48600100200), reading a local number in the shop's region; null when no valid number. */
export function normalisePhone(
  phone: string | null,
  region: CountryCode | undefined,
): string | null {
  if (!phone || phone.trim() === '') return null;
  return toE164(phone.trim(), region);
}

/** Lower case, every whitespace removed (Google: "remove all extra spaces … in names"). */
const lowerNoSpaces = (value: string | null) => {
  const v = value?.toLowerCase().replace(/\s+/g, '') ?? '';
  return v === '' ? null : v;
};

/** Meta: lower case, no punctuation, UTF-8 letters kept ("Valéry" → "valéry"). */
const lowerNoPunctuation = (value: string | null) => {
  const v = value?.toLowerCase().replace(/[\p{P}\p{S}\s]/gu, '') ?? '';
  return v === '' ? null : v;
};

const hashed = (value: string | null) => (value === null ? '' : sha256(value));

/**
 * Meta Custom Audiences customer list: columns email, phone, fn, ln, zip, ct, country, every
 * value hashed. Phone: digits with the country code, no "+" or leading zeros. Zip: lower case,
 * no spaces or dashes. Country: two lower-case letters.
 */
export const meta: AudienceDestination = {
  platform: 'meta',
  header: ['email', 'phone', 'fn', 'ln', 'zip', 'ct', 'country'],
  row(p) {
    if (!p.email && !p.phone) return null;
    return [
      hashed(p.email),
      hashed(p.phone ? p.phone.replace(/\D/g, '') : null),
      hashed(lowerNoPunctuation(p.firstName)),
      hashed(lowerNoPunctuation(p.lastName)),
      hashed(p.zip ? p.zip.toLowerCase().replace(/[\s-]/g, '') : null),
      hashed(lowerNoPunctuation(p.city)),
      hashed(p.country ? p.country.toLowerCase() : null),
    ];
  },
};

/**
 * Google Ads Customer Match: columns Email, Phone, First Name, Last Name, Country, Zip. Email,
 * Phone (E.164 with "+"), First and Last Name hashed; Country (two letters) and Zip plain, as
 * Google's template has them. Google documents removing the dots of Gmail addresses only for
 * enhanced conversions, not for Customer Match, so they stay.
 */
export const google: AudienceDestination = {
  platform: 'google',
  header: ['Email', 'Phone', 'First Name', 'Last Name', 'Country', 'Zip'],
  row(p) {
    if (!p.email && !p.phone) return null;
    return [
      hashed(p.email),
      hashed(p.phone),
      hashed(lowerNoSpaces(p.firstName)),
      hashed(lowerNoSpaces(p.lastName)),
      p.country?.toUpperCase() ?? '',
      p.zip?.trim() ?? '',
    ];
  },
};

/**
 * TikTok customer file: columns Email_SHA256 and Phone_SHA256. E-mail without the "+tag" before
 * the "@", as TikTok documents; phone as digits with the country code and no "+" (TikTok's
 * hashed example is the hash of "37493828222").
 */
export const tiktok: AudienceDestination = {
  platform: 'tiktok',
  header: ['Email_SHA256', 'Phone_SHA256'],
  row(p) {
    if (!p.email && !p.phone) return null;
    const email = p.email?.replace(/\+[^@]*@/, '@') ?? null;
    return [hashed(email), hashed(p.phone ? p.phone.replace(/\D/g, '') : null)];
  },
};

export const AUDIENCE_DESTINATIONS: Readonly<Record<AudiencePlatform, AudienceDestination>> = {
  meta,
  google,
  tiktok,
};
