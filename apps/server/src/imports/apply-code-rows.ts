import { addImportedCoupons } from '../coupons/add-imported-coupons.ts';
import { normalizeCode } from '../coupons/coupon-code.ts';
import type { DiscountSpec } from '../coupons/coupon-decision.ts';
import { addImportedGiftCards } from '../gift-cards/add-imported-gift-cards.ts';
import {
  addChange,
  customerIdsByExternal,
  loadBatchRows,
  type BatchOutcome,
  type ImportBatch,
  type RowFailure,
  type StagedRow,
} from './import-batch.ts';

/** Rows with the Lojal id of the customer they name, if any; an unknown customer is refused. */
async function withOptionalCustomer(batch: ImportBatch) {
  const staged = await loadBatchRows(batch);
  const named = staged.filter((r) => r.record.customerId !== undefined);
  const ids = await customerIdsByExternal(
    batch.tx,
    batch.shop.id,
    named.map((r) => String(r.record.customerId)),
  );
  const failed: RowFailure[] = [];
  const rows: Array<StagedRow & { customerId: string | null }> = [];
  for (const row of staged) {
    const external = row.record.customerId as string | undefined;
    const customer = external === undefined ? null : (ids.get(external) ?? undefined);
    if (customer === undefined) {
      failed.push({ line: row.line, error: `customer_id: no customer "${external}"` });
    } else rows.push({ ...row, customerId: customer?.id ?? null });
  }
  return { rows, failed };
}

function discountOf(r: Record<string, unknown>): DiscountSpec {
  if (r.discountType === 'fixed') {
    return { kind: 'fixed', amount: Number(r.amount), currency: String(r.currency) };
  }
  if (r.discountType === 'percentage') return { kind: 'percentage', percent: Number(r.percent) };
  return { kind: 'free_shipping' };
}

/** Unused coupon codes (kind `coupons`). */
export async function applyCouponRows(batch: ImportBatch): Promise<BatchOutcome> {
  const { rows, failed } = await withOptionalCustomer(batch);
  const changes: Record<string, number> = {};
  const result = await addImportedCoupons(
    batch.tx,
    batch.shop.id,
    rows.map(({ record: r, customerId }) => ({
      code: String(r.code),
      discount: discountOf(r),
      minBasket: (r.minBasket as number | undefined) ?? null,
      startsAt: (r.startsAt as string | undefined) ?? null,
      expiresAt: (r.expiresAt as string | undefined) ?? null,
      usageLimit: (r.usageLimit as number | undefined) ?? 1,
      customerId,
    })),
    batch.now,
  );
  for (const { line, record } of rows) {
    const outcome = result.get(normalizeCode(String(record.code)));
    if (outcome === 'taken') {
      failed.push({ line, error: `code: "${String(record.code)}" is a Lojal coupon already` });
    } else addChange(changes, `coupons.${outcome ?? 'unchanged'}`, 1);
  }
  return { failed, changes };
}

/** Gift cards with what is left on them (kind `gift-cards`). */
export async function applyGiftCardRows(batch: ImportBatch): Promise<BatchOutcome> {
  const { rows, failed } = await withOptionalCustomer(batch);
  const changes: Record<string, number> = {};
  for (const row of rows) {
    if (row.record.expiresAt && new Date(String(row.record.expiresAt)) <= batch.now) {
      failed.push({ line: row.line, error: 'expires_at: the card has expired already' });
    }
  }
  const live = rows.filter((r) => !failed.some((f) => f.line === r.line));
  const added = await addImportedGiftCards(
    batch.tx,
    batch.shop.id,
    live.map(({ record: r, customerId }) => ({
      code: String(r.code),
      balance: Number(r.balance),
      currency: String(r.currency),
      expiresAt: (r.expiresAt as string | undefined) ?? null,
      customerId,
    })),
    { now: batch.now, actor: batch.actor },
  );
  addChange(changes, 'giftCards.added', added.added);
  addChange(changes, 'giftCards.balance', added.balance);
  addChange(changes, 'giftCards.unchanged', live.length - added.added);
  return { failed, changes };
}
