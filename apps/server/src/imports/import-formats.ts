import { camel, KIND_FIELDS, type ImportKind } from './import-records.ts';

export const IMPORT_FORMATS = ['lojal-csv', 'lojal-json', 'smile', 'loyaltylion'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * Columns of the other programmes' customer exports, by the Lojal field they fill, as far as
 * their documentation shows them (docs/import.md lists what they hold that cannot be mapped).
 * Headers are compared without case, spaces, dashes or underscores ("Points balance" =
 * "points_balance"). Their files hold customers with points and tiers: kind `customers`.
 */
const FOREIGN_COLUMNS: Record<'smile' | 'loyaltylion', Record<string, string[]>> = {
  // Smile.io: the customer object (first_name, last_name, email, date_of_birth, points_balance,
  // referral_url, vip tier) and its points CSV (email, points).
  smile: {
    customerId: ['externalid', 'customerexternalid', 'shopifycustomerid', 'platformcustomerid'],
    email: ['email', 'emailaddress', 'customeremail'],
    firstName: ['firstname'],
    lastName: ['lastname'],
    birthday: ['dateofbirth', 'birthday', 'birthdate'],
    points: ['pointsbalance', 'points', 'balance'],
    tier: ['viptier', 'viptiername', 'vipstatus', 'tier', 'tiername'],
    referralCode: ['referralurl', 'referrallink', 'referralcode'],
  },
  // LoyaltyLion: the customer export and its import sheet (customer ID, email, points, tier,
  // enrolled), points approved / pending / spent / lifetime, birthday.
  loyaltylion: {
    customerId: ['customerid', 'merchantid', 'shopifyid', 'shopifycustomerid', 'externalid'],
    email: ['email', 'emailaddress', 'customeremail'],
    firstName: ['firstname'],
    lastName: ['lastname'],
    birthday: ['birthday', 'dateofbirth', 'birthdate'],
    points: ['pointsapproved', 'approvedpoints', 'points', 'pointsbalance', 'balance'],
    pendingPoints: ['pointspending', 'pendingpoints'],
    tier: ['tier', 'tiername', 'currenttier', 'tierlevel', 'loyaltytier'],
    referralCode: ['referralurl', 'referrallink', 'referralcode'],
  },
};

export interface HeaderMap {
  /** The record field each column fills, or null for a column that is not used. */
  fields: Array<string | null>;
  /** Columns of the file that are not used (named in the report). */
  ignored: string[];
  errors: string[];
}

/** Reads a CSV header for a format and kind. */
export function mapHeader(format: ImportFormat, kind: ImportKind, header: string[]): HeaderMap {
  const fields: Array<string | null> = [];
  const ignored: string[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const lookup = new Map<string, string>();
  if (format === 'smile' || format === 'loyaltylion') {
    for (const [field, names] of Object.entries(FOREIGN_COLUMNS[format])) {
      for (const name of names) if (!lookup.has(name)) lookup.set(name, field);
    }
  } else {
    for (const spec of KIND_FIELDS[kind]) {
      lookup.set(squash(spec.column), camel(spec.column));
    }
  }
  for (const column of header) {
    const field = lookup.get(squash(column)) ?? null;
    if (field !== null && seen.has(field)) {
      errors.push(`column "${column}" fills ${field}, which an earlier column fills already`);
    }
    if (field === null) {
      if (format === 'lojal-csv') errors.push(`unknown column "${column}"`);
      else ignored.push(column);
    } else seen.add(field);
    fields.push(field);
  }
  if (format === 'lojal-csv') {
    for (const spec of KIND_FIELDS[kind]) {
      if (spec.required && !seen.has(camel(spec.column))) {
        errors.push(`column "${spec.column}" is missing`);
      }
    }
  } else if (!seen.has('customerId') && !seen.has('email')) {
    errors.push('the file has no customer id or e-mail column');
  }
  return { fields, ignored, errors };
}

/** A row of a CSV as a record of the fields its header maps, converted from the other format. */
export function recordFromRow(
  format: ImportFormat,
  header: HeaderMap,
  row: string[],
): Record<string, unknown> | { error: string } {
  if (row.length !== header.fields.length) {
    return { error: `has ${row.length} fields; the header has ${header.fields.length}` };
  }
  const record: Record<string, unknown> = {};
  header.fields.forEach((field, i) => {
    if (field !== null) record[field] = row[i];
  });
  if (format === 'smile' || format === 'loyaltylion') return fromForeign(record);
  return record;
}

/** A JSON Lines record: camelCase keys, or the CSV's snake_case ones. */
export function recordFromJson(
  kind: ImportKind,
  value: unknown,
):
  | Record<string, unknown>
  | {
      error: string;
    } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'is not a JSON object' };
  }
  const known = new Set(KIND_FIELDS[kind].map((s) => camel(s.column)));
  const record: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = camel(key);
    if (!known.has(name)) return { error: `unknown field "${key}"` };
    record[name] = v;
  }
  return record;
}

/**
 * The other programmes' values in Lojal's terms: a referral URL becomes its code (the last
 * part of its path), Smile's birthday without a year (year 1004) keeps its day and month, and
 * an empty tier or a tier named like "none" is no tier.
 */
function fromForeign(record: Record<string, unknown>): Record<string, unknown> {
  const out = { ...record };
  const url = typeof out.referralCode === 'string' ? out.referralCode.trim() : '';
  if (url.includes('/'))
    out.referralCode = url
      .replace(/[?#].*$/, '')
      .replace(/\/+$/, '')
      .split('/')
      .pop();
  if (typeof out.tier === 'string' && /^(none|-|brak)?$/i.test(out.tier.trim())) delete out.tier;
  if (typeof out.points === 'string') out.points = out.points.replace(/[\s,]/g, '');
  if (typeof out.pendingPoints === 'string')
    out.pendingPoints = out.pendingPoints.replace(/[\s,]/g, '');
  return out;
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
