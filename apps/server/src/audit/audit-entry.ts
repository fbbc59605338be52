import type { AuditActorType } from '../db/schema.ts';

export interface AuditActor {
  type: AuditActorType;
  id: string | null;
  name: string | null;
}

/** One write in a shop: who, when, what, on what, and for configuration its state around it. */
export interface AuditEntry {
  shopId: string;
  at: Date;
  actor: AuditActor;
  action: string;
  target: { type: string | null; id: string | null };
  before?: unknown;
  after?: unknown;
}

// Secrets shown once (a new API key, a staff token, a webhook secret) never reach the log.
const SECRET_FIELD = /secret|token|password|apikey|privatekey|credentials/i;

/** The value with every secret-looking field replaced, for before/after states. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_FIELD.test(k) ? '[redacted]' : withoutSecrets(v),
    ]),
  );
}
