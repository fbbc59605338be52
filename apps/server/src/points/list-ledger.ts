import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { EntryKind } from '../db/schema.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';

interface EntryRow {
  id: string;
  points: number;
  kind: EntryKind;
  cause: string;
  balance_after: number;
  rule_id: string | null;
  rule_code: string | null;
  programme_version: number | null;
  redemption_id: string | null;
  reward_id: string | null;
  reverses_entry_id: string | null;
  order_external_id: string | null;
  refund_external_id: string | null;
  absorbed: number;
  already_expired: number;
  reason: string | null;
  actor: string | null;
  available_at: Date | null;
  expires_at: Date | null;
  effective_at: Date;
}

/**
 * A customer's ledger, newest first, each entry with its cause spelled out, so anyone can
 * see why the balance is what it is. Pages with `before` (the last id seen).
 */
export async function listLedger(
  db: Db,
  shop: ShopRow,
  externalId: string,
  page: { limit: number; before?: string },
) {
  const customer = { id: await findCustomerId(db, shop.id, externalId) };
  const rows = await sql<EntryRow>`
    SELECT e.id, e.points, e.kind, e.cause, e.balance_after, e.rule_id, e.rule_code,
           e.programme_version, e.redemption_id, r.reward_id, e.reverses_entry_id,
           o.external_id AS order_external_id, rf.external_id AS refund_external_id,
           e.absorbed, e.already_expired, e.reason, e.actor, e.available_at, e.expires_at, e.effective_at
    FROM point_entries e
    LEFT JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.order_id
    LEFT JOIN refunds rf ON rf.shop_id = e.shop_id AND rf.id = e.refund_id
    LEFT JOIN redemptions r ON r.shop_id = e.shop_id AND r.id = e.redemption_id
    WHERE e.shop_id = ${shop.id} AND e.customer_id = ${customer.id}
      AND (${page.before ?? null}::text IS NULL OR e.id < ${page.before ?? null})
    ORDER BY e.id DESC LIMIT ${page.limit + 1}`.execute(db);
  const data = rows.rows.slice(0, page.limit).map(entryView);
  return { data, nextBefore: rows.rows.length > page.limit ? data[data.length - 1]!.id : null };
}

function entryView(e: EntryRow) {
  const rule = e.rule_id
    ? { id: e.rule_id, code: e.rule_code, version: e.programme_version }
    : null;
  return {
    id: e.id,
    points: e.points,
    kind: e.kind,
    balanceAfter: e.balance_after,
    createdAt: e.effective_at.toISOString(),
    availableAt: e.available_at?.toISOString() ?? null,
    expiresAt: e.expires_at?.toISOString() ?? null,
    cause: causeView(e, rule),
  };
}

function causeView(
  e: EntryRow,
  rule: { id: string; code: string | null; version: number | null } | null,
) {
  switch (e.cause) {
    case 'order':
      return { type: 'order' as const, orderId: e.order_external_id, rule };
    case 'rule':
      return { type: 'rule' as const, rule };
    case 'redemption':
      return { type: 'redemption' as const, redemptionId: e.redemption_id, rewardId: e.reward_id };
    case 'adjustment':
      return { type: 'adjustment' as const, reason: e.reason, actor: e.actor };
    case 'expiry':
      return { type: 'expiry' as const, lotEntryId: e.reverses_entry_id };
    default:
      return {
        type: 'reversal' as const,
        reversesEntryId: e.reverses_entry_id,
        reason: e.reason,
        orderId: e.order_external_id,
        refundId: e.refund_external_id,
        redemptionId: e.redemption_id,
        absorbed: e.absorbed,
        alreadyExpired: e.already_expired,
      };
  }
}
