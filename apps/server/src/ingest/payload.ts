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
