import type { CustomerFacts } from './facts.ts';

export const CUSTOMER_FIELDS = {
  email: 'email',
  phone: 'phone',
  firstName: 'first_name',
  lastName: 'last_name',
  birthday: 'birthday',
  acceptsEmailMarketing: 'accepts_email_marketing',
  acceptsSmsMarketing: 'accepts_sms_marketing',
  tags: 'tags',
} as const;

export type CustomerField = keyof typeof CUSTOMER_FIELDS;
export type CustomerColumn = (typeof CUSTOMER_FIELDS)[CustomerField];
type Value = string | boolean | string[] | null;

/** Fields that identify a person; a redacted customer never gets them back. */
const PERSONAL: ReadonlySet<CustomerField> = new Set([
  'email',
  'phone',
  'firstName',
  'lastName',
  'birthday',
]);

export interface CustomerState {
  values: Partial<Record<CustomerColumn, Value>>;
  /** ISO time of the source data each field's value came from. */
  fieldTimes: Record<string, string>;
  redacted: boolean;
}

/**
 * Decides which fields the facts change. Each field keeps the value from the newest source
 * data that mentioned it, so deliveries applied in any order end in the same customer; on a
 * tie of times the greater value wins, which is arbitrary but order-independent, unless the
 * time is only the time of receipt: then the later-processed facts win.
 */
export function mergeCustomerFacts(
  state: CustomerState,
  facts: CustomerFacts,
): { changes: Partial<Record<CustomerColumn, Value>>; fieldTimes: Record<string, string> } {
  const changes: Partial<Record<CustomerColumn, Value>> = {};
  const fieldTimes = { ...state.fieldTimes };
  const at = facts.asOf.toISOString();
  for (const field of Object.keys(CUSTOMER_FIELDS) as CustomerField[]) {
    const incoming = facts[field];
    if (incoming === undefined) continue;
    if (state.redacted && PERSONAL.has(field)) continue;
    const column = CUSTOMER_FIELDS[field];
    const heldSince = fieldTimes[field];
    const current = state.values[column] ?? null;
    const newer =
      heldSince === undefined ||
      at > heldSince ||
      (at === heldSince && (facts.asOfIsReceipt === true || compareValues(incoming, current) > 0));
    if (!newer) continue;
    fieldTimes[field] = at;
    if (!sameValue(incoming, current)) changes[column] = incoming;
  }
  return { changes, fieldTimes };
}

function sameValue(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function compareValues(a: Value, b: Value): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x === y ? 0 : x > y ? 1 : -1;
}
