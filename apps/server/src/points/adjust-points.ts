import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { addMonths } from '../shared/zoned-time.ts';
import { availablePoints, credit, debit, expireLots } from './account.ts';
import { openAccounts, saveAccounts } from './ledger.ts';
import { liveProgramme } from './live-programme.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';

export interface AdjustInput {
  customerId: string; // the shop's own id
  points: number;
  reason: string;
  actor: string;
}

/**
 * A manual correction by staff or an integration, with its reason and who made it. Added points
 * are available at once and expire like any lot; taking points needs them to be available.
 */
export async function adjustPoints(db: Db, clock: Clock, shop: ShopRow, input: AdjustInput) {
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const customer = { id: await findCustomerId(tx, shop.id, input.customerId) };
    const { programme } = await liveProgramme(tx, shop.id);
    const accounts = await openAccounts(tx, shop.id, [customer.id], {
      withLots: input.points < 0 ? [customer.id] : [],
    });
    const account = accounts.get(customer.id)!;
    const id = newId('led');
    const cause = {
      cause: 'adjustment' as const,
      reason: input.reason,
      actor: input.actor,
      key: `adjust:${id}`,
      at: now,
    };
    let entry;
    if (input.points > 0) {
      const months = programme.settings.expiryMonths;
      entry = credit(account, {
        ...cause,
        points: input.points,
        kind: 'adjust',
        availableAt: now,
        expiresAt: months === null ? null : addMonths(now, months),
      })!;
    } else {
      expireLots(account, now);
      const result = debit(account, { ...cause, points: -input.points, kind: 'adjust' });
      if (result === 'insufficient' || result === null) {
        throw problems.unprocessable(
          'insufficient-points',
          'Not enough points',
          `Cannot take ${-input.points} points; ${Math.max(0, availablePoints(account, now))} are available.`,
        );
      }
      entry = result;
    }
    await saveAccounts(tx, [account], now);
    return {
      id: entry.id,
      points: entry.points,
      kind: entry.kind,
      balanceAfter: entry.balanceAfter,
      createdAt: now.toISOString(),
      availableAt: entry.availableAt?.toISOString() ?? null,
      expiresAt: entry.expiresAt?.toISOString() ?? null,
      cause: { type: 'adjustment' as const, reason: input.reason, actor: input.actor },
    };
  });
}
