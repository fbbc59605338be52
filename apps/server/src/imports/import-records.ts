import { isCurrency, MAX_AMOUNT, MAX_QUANTITY } from '../shared/bounds.ts';
import { normalizeCode } from '../coupons/coupon-code.ts';

/**
 * What each kind of import file holds, one record per row: the fields, their types, which are
 * required, and the natural key that makes a second import of the same record change nothing.
 * A record is checked here on its own (pure); what needs the database (an order's customer, a
 * code taken by another customer) is checked when its batch is applied.
 */
export const IMPORT_KINDS = [
  'customers',
  'orders',
  'refunds',
  'points',
  'tiers',
  'referral-codes',
  'coupons',
  'gift-cards',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type FieldType =
  | 'text'
  | 'email'
  | 'date'
  | 'time'
  | 'bool'
  | 'amount'
  | 'points'
  | 'count'
  | 'percent'
  | 'currency'
  | 'list'
  | 'lines'
  | 'code';

export interface FieldSpec {
  /** The column of a Lojal CSV (snake_case); the JSON key is its camelCase form. */
  column: string;
  type: FieldType;
  required?: boolean;
  /** What the column means, for docs/import.md and the error messages. */
  about: string;
}

const customerId = (required = true): FieldSpec => ({
  column: 'customer_id',
  type: 'text',
  required,
  about: "the shop's own customer id (the one its platform sends to Lojal)",
});

export const KIND_FIELDS: Record<ImportKind, FieldSpec[]> = {
  customers: [
    customerId(),
    { column: 'email', type: 'email', about: 'e-mail address' },
    { column: 'phone', type: 'text', about: 'phone number, best in E.164 (+48…)' },
    { column: 'first_name', type: 'text', about: 'first name' },
    { column: 'last_name', type: 'text', about: 'last name' },
    { column: 'birthday', type: 'date', about: 'YYYY-MM-DD' },
    { column: 'tags', type: 'list', about: 'tags separated by |' },
    {
      column: 'accepts_email_marketing',
      type: 'bool',
      about: 'marketing e-mail consent: true/false (also yes/no, tak/nie, 1/0)',
    },
    { column: 'accepts_sms_marketing', type: 'bool', about: 'marketing SMS consent' },
    {
      column: 'consent_source',
      type: 'text',
      about: 'where the consent was given (e.g. "checkout", "newsletter form")',
    },
    { column: 'consent_at', type: 'time', about: 'when the consent was given (ISO 8601)' },
    {
      column: 'points',
      type: 'points',
      about: "opening points balance: one lot (added to what Lojal's ledger holds)",
    },
    {
      column: 'points_expire_at',
      type: 'time',
      about: "when the opening lot expires; the programme's expiry when empty",
    },
    {
      column: 'pending_points',
      type: 'points',
      about:
        "points still pending: a lot that becomes available after the programme's return window",
    },
    { column: 'tier', type: 'text', about: 'tier id or name (either language)' },
    { column: 'referral_code', type: 'code', about: 'the referral code to keep' },
  ],
  orders: [
    { column: 'order_id', type: 'text', required: true, about: "the shop's own order id" },
    customerId(false),
    { column: 'email', type: 'email', about: "the buyer's e-mail (guest orders)" },
    { column: 'currency', type: 'currency', required: true, about: 'ISO 4217, e.g. PLN' },
    { column: 'total', type: 'amount', required: true, about: 'paid total in minor units' },
    { column: 'subtotal', type: 'amount', about: 'minor units' },
    { column: 'shipping', type: 'amount', about: 'minor units' },
    { column: 'discount', type: 'amount', about: 'minor units' },
    { column: 'discount_codes', type: 'list', about: 'codes separated by |' },
    { column: 'placed_at', type: 'time', required: true, about: 'ISO 8601' },
    { column: 'paid_at', type: 'time', about: 'ISO 8601; placed_at when empty' },
    { column: 'cancelled_at', type: 'time', about: 'ISO 8601' },
    { column: 'fulfilled_at', type: 'time', about: 'ISO 8601' },
    {
      column: 'lines',
      type: 'lines',
      about:
        'JSON array of {"productId","sku"?,"title"?,"quantity","price"} (price per unit in minor units)',
    },
  ],
  refunds: [
    { column: 'refund_id', type: 'text', required: true, about: "the shop's own refund id" },
    { column: 'order_id', type: 'text', required: true, about: 'the refunded order' },
    { column: 'amount', type: 'amount', required: true, about: 'minor units' },
    { column: 'currency', type: 'currency', required: true, about: "the order's currency" },
    { column: 'refunded_at', type: 'time', required: true, about: 'ISO 8601' },
    { column: 'reason', type: 'text', about: 'free text' },
  ],
  points: [
    customerId(),
    { column: 'points', type: 'points', required: true, about: 'points in this lot (1 or more)' },
    {
      column: 'lot_id',
      type: 'text',
      about: 'names the lot when a customer has several ("opening" when empty)',
    },
    { column: 'earned_at', type: 'time', about: 'when the points were earned; now when empty' },
    { column: 'available_at', type: 'time', about: 'pending until then; earned_at when empty' },
    {
      column: 'expires_at',
      type: 'time',
      about: "when the lot expires; the programme's expiry when empty",
    },
  ],
  tiers: [
    customerId(),
    { column: 'tier', type: 'text', required: true, about: 'tier id or name (either language)' },
    {
      column: 'until',
      type: 'time',
      about: 'the tier holds until then; 12 months after the import when empty',
    },
  ],
  'referral-codes': [
    customerId(),
    { column: 'code', type: 'code', required: true, about: 'kept exactly as given' },
  ],
  coupons: [
    { column: 'code', type: 'code', required: true, about: 'the unused code' },
    {
      column: 'discount_type',
      type: 'text',
      required: true,
      about: 'fixed, percentage or free_shipping',
    },
    { column: 'amount', type: 'amount', about: 'fixed: minor units' },
    { column: 'currency', type: 'currency', about: "fixed: the amount's currency" },
    { column: 'percent', type: 'percent', about: 'percentage: 1 to 100' },
    { column: 'min_basket', type: 'amount', about: 'minor units' },
    { column: 'starts_at', type: 'time', about: 'ISO 8601' },
    { column: 'expires_at', type: 'time', about: 'ISO 8601' },
    { column: 'usage_limit', type: 'count', about: 'uses left (1 when empty)' },
    customerId(false),
  ],
  'gift-cards': [
    { column: 'code', type: 'code', required: true, about: "the card's code (kept hashed)" },
    { column: 'balance', type: 'amount', required: true, about: 'what is left, in minor units' },
    { column: 'currency', type: 'currency', required: true, about: 'ISO 4217' },
    { column: 'expires_at', type: 'time', about: 'ISO 8601' },
    customerId(false),
  ],
};

/** The natural key of a record: one row per key in a file, and what a repeat is matched on. */
export function naturalKey(kind: ImportKind, r: ImportRecord): string | null {
  switch (kind) {
    case 'customers':
      return r.customerId ? `id:${r.customerId}` : r.email ? `email:${r.email}` : null;
    case 'orders':
      return String(r.orderId);
    case 'refunds':
      return `${r.orderId}:${r.refundId}`;
    case 'points':
      return `${r.customerId}:${r.lotId ?? 'opening'}`;
    case 'tiers':
    case 'referral-codes':
      return String(r.customerId);
    case 'coupons':
    case 'gift-cards':
      return normalizeCode(String(r.code));
  }
}

export type ImportRecord = Record<string, unknown>;

export interface CheckedRecord {
  key: string;
  record: ImportRecord;
}

/** Checks one record's fields; returns the typed record, or every problem found in it. */
export function checkRecord(
  kind: ImportKind,
  raw: Record<string, unknown>,
  options: { customerByEmail?: boolean } = {},
): CheckedRecord | { errors: string[] } {
  const errors: string[] = [];
  const record: ImportRecord = {};
  for (const spec of KIND_FIELDS[kind]) {
    const name = camel(spec.column);
    const value = raw[name];
    const empty = value === undefined || value === null || value === '';
    const required = spec.required && !(options.customerByEmail && spec.column === 'customer_id');
    if (empty) {
      if (required) errors.push(`${spec.column}: is required`);
      continue;
    }
    const converted = convert(spec.type, value);
    if (typeof converted === 'object' && converted !== null && 'error' in converted) {
      errors.push(`${spec.column}: ${converted.error}`);
    } else {
      record[name] = converted;
    }
  }
  if (errors.length === 0) errors.push(...crossChecks(kind, record, options));
  if (errors.length > 0) return { errors };
  const key = naturalKey(kind, record);
  if (key === null) return { errors: ['customer_id: is required (or email)'] };
  return { key, record };
}

/** Rules between fields of one record. */
function crossChecks(
  kind: ImportKind,
  r: ImportRecord,
  options: { customerByEmail?: boolean },
): string[] {
  const errors: string[] = [];
  const before = (a: string, b: string, message: string) => {
    if (typeof r[a] === 'string' && typeof r[b] === 'string' && r[a]! >= r[b]!) {
      errors.push(message);
    }
  };
  if (kind === 'customers' && options.customerByEmail && !r.customerId && !r.email) {
    errors.push('email: is required when there is no customer id');
  }
  if (kind === 'customers' && r.consentAt && r.acceptsEmailMarketing === undefined) {
    if (r.acceptsSmsMarketing === undefined) {
      errors.push('consent_at: given without accepts_email_marketing or accepts_sms_marketing');
    }
  }
  if (kind === 'orders') {
    if (!r.customerId && !r.email) errors.push('customer_id: is required (or email for a guest)');
    before('paidAt', 'placedAt', 'paid_at: is before placed_at');
    const lines = (r.lines as Array<{ quantity: number; price: number }> | undefined) ?? [];
    const sum = lines.reduce((s, l) => s + l.quantity * l.price, 0);
    if (sum > MAX_AMOUNT) errors.push('lines: sum more than 1,000,000,000,000 minor units');
  }
  if (kind === 'points') {
    if (r.expiresAt && r.earnedAt)
      before('expiresAt', 'earnedAt', 'expires_at: is not after earned_at');
    if (r.availableAt && r.expiresAt) {
      before('expiresAt', 'availableAt', 'expires_at: is not after available_at');
    }
  }
  if (kind === 'coupons') {
    const type = r.discountType;
    if (type === 'fixed') {
      if (r.amount === undefined || r.currency === undefined) {
        errors.push('amount: a fixed discount needs amount and currency');
      }
    } else if (type === 'percentage') {
      if (r.percent === undefined) errors.push('percent: a percentage discount needs percent');
    } else if (type !== 'free_shipping') {
      errors.push('discount_type: must be fixed, percentage or free_shipping');
    }
    if (r.startsAt && r.expiresAt)
      before('startsAt', 'expiresAt', 'expires_at: is not after starts_at');
  }
  if (kind === 'gift-cards' && r.balance === 0) errors.push('balance: must be more than 0');
  return errors;
}

type Converted = unknown | { error: string };

function convert(type: FieldType, value: unknown): Converted {
  const text = typeof value === 'string' ? value.trim() : value;
  switch (type) {
    case 'text':
      if (typeof text !== 'string' && typeof text !== 'number') return { error: 'must be text' };
      if (String(text).length > 255) return { error: 'at most 255 characters' };
      return String(text);
    case 'email': {
      const s = String(text).toLowerCase();
      if (s.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) {
        return { error: `"${String(text)}" is not an e-mail address` };
      }
      return s;
    }
    case 'code': {
      const s = String(text);
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$/.test(s)) {
        return { error: `"${s}" is not a code (3–40 letters, digits, - or _)` };
      }
      return s;
    }
    case 'date': {
      const s = String(text);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || !validDate(s)) {
        return { error: `"${s}" is not a date (YYYY-MM-DD)` };
      }
      return s;
    }
    case 'time': {
      const s = String(text);
      const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) && validDate(s) ? Date.parse(`${s}T00:00:00Z`) : NaN;
      const parsed = Number.isNaN(ms) && /^\d{4}-\d{2}-\d{2}T/.test(s) ? Date.parse(s) : ms;
      if (Number.isNaN(parsed) || (s.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(s))) {
        return { error: `"${s}" is not a time (ISO 8601 with a zone, or YYYY-MM-DD)` };
      }
      return new Date(parsed).toISOString();
    }
    case 'bool': {
      if (typeof text === 'boolean') return text;
      const s = String(text).toLowerCase();
      if (['true', 'yes', 'tak', '1', 'y', 't'].includes(s)) return true;
      if (['false', 'no', 'nie', '0', 'n', 'f'].includes(s)) return false;
      return { error: `"${String(text)}" is not true or false` };
    }
    case 'amount':
      return integer(text, 0, MAX_AMOUNT, 'minor units');
    case 'points':
      return integer(text, 0, 1_000_000_000, 'points');
    case 'count':
      return integer(text, 1, 1_000_000, 'uses');
    case 'percent':
      return integer(text, 1, 100, 'percent');
    case 'currency': {
      const s = String(text).toUpperCase();
      return isCurrency(s) ? s : { error: `"${String(text)}" is not an ISO 4217 currency` };
    }
    case 'list': {
      const items = Array.isArray(text) ? text.map(String) : String(text).split('|');
      return items.map((i) => i.trim()).filter((i) => i !== '');
    }
    case 'lines':
      return orderLines(text);
  }
}

function integer(value: unknown, min: number, max: number, unit: string): Converted {
  const s = String(value);
  if (!/^-?\d+$/.test(s)) return { error: `"${s}" is not a whole number of ${unit}` };
  const n = Number(s);
  if (n < min || n > max) return { error: `must be ${min} to ${max.toLocaleString('en')} ${unit}` };
  return n;
}

function orderLines(value: unknown): Converted {
  let lines: unknown = value;
  if (typeof value === 'string') {
    try {
      lines = JSON.parse(value);
    } catch {
      return { error: 'is not a JSON array' };
    }
  }
  if (!Array.isArray(lines)) return { error: 'is not a JSON array' };
  if (lines.length > 1000) return { error: 'at most 1,000 lines' };
  const out = [];
  for (const [i, raw] of lines.entries()) {
    const l = raw as Record<string, unknown>;
    const quantity = Number(l?.quantity);
    const price = Number(l?.price);
    if (typeof l !== 'object' || l === null || typeof l.productId !== 'string' || !l.productId) {
      return { error: `line ${i + 1}: productId is required` };
    }
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      return { error: `line ${i + 1}: quantity must be 1 to 1,000,000` };
    }
    if (!Number.isInteger(price) || price < 0 || price > MAX_AMOUNT) {
      return { error: `line ${i + 1}: price must be 0 to 1,000,000,000,000 minor units` };
    }
    out.push({
      productId: l.productId.slice(0, 255),
      sku: typeof l.sku === 'string' ? l.sku.slice(0, 255) : null,
      title: typeof l.title === 'string' ? l.title.slice(0, 255) : null,
      quantity,
      price,
    });
  }
  return out;
}

function validDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A column's JSON key (`customer_id` → `customerId`). */
export function camel(column: string): string {
  let name = CAMEL.get(column);
  if (name === undefined) {
    name = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    // Called for every field of every record: the names are kept (a file's keys are few,
    // but a JSON Lines file may bring any, so the cache stops growing at 1,000).
    if (CAMEL.size < 1000) CAMEL.set(column, name);
  }
  return name;
}

const CAMEL = new Map<string, string>();
