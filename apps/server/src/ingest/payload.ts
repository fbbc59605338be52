import { idString } from '../shared/json.ts';
import { PayloadError } from './facts.ts';

/** Small readers for untyped platform payloads; each names the field it failed on. */
export type Obj = Record<string, unknown>;

export function asObject(value: unknown, what: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PayloadError(`${what} is not an object`);
  }
  return value as Obj;
}

export function optionalObject(value: unknown): Obj | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Obj)
    : null;
}

export function arrayOf(value: unknown): Obj[] {
  return Array.isArray(value)
    ? value.filter((v): v is Obj => typeof v === 'object' && v !== null)
    : [];
}

export function requiredId(value: unknown, field: string): string {
  const id = idString(value);
  if (id === null) throw new PayloadError(`${field} is missing`);
  return id;
}

export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // PostgreSQL text cannot hold NUL, and no name or e-mail needs one
  const clean = value.replaceAll('\u0000', '').trim();
  return clean === '' ? null : clean;
}

export function date(value: unknown, { assumeUtc = false } = {}): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value);
  const parsed = new Date(assumeUtc && !hasZone ? value + 'Z' : value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

export function requiredDate(value: unknown, field: string, opts?: { assumeUtc?: boolean }): Date {
  const parsed = date(value, opts);
  if (parsed === null) throw new PayloadError(`${field} is missing or not a date`);
  return parsed;
}

const MAX_PROPERTIES = 30;
const MAX_PROPERTY_CHARS = 1000;

/**
 * A line item's buyer-typed properties as key → text: Shopify's `properties` ([{name, value}],
 * or an object in old payloads), WooCommerce's `meta_data` ([{key, value}]). Only text values,
 * at most 30, each cut at 1,000 characters; undefined when there are none.
 */
export function lineProperties(value: unknown): Record<string, string> | undefined {
  const pairs: Array<[unknown, unknown]> = Array.isArray(value)
    ? arrayOf(value).map((p) => [p.name ?? p.key, p.value])
    : Object.entries(optionalObject(value) ?? {});
  const out: Record<string, string> = {};
  for (const [key, raw] of pairs) {
    const name = text(key);
    const v = typeof raw === 'number' ? String(raw) : text(raw);
    if (!name || v === null || Object.keys(out).length >= MAX_PROPERTIES) continue;
    out[name.slice(0, 100)] = v.slice(0, MAX_PROPERTY_CHARS);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
