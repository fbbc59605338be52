import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { applyTierDecisions, loadTierStates } from './apply-tier-decisions.ts';
import { decideManual, effectiveTierId, type TierState } from './evaluate-tier.ts';
import { findTierProgramme } from './find-tier-programme.ts';
import { rankOf, tierById, type TierProgramme } from './tier-schema.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';

export interface AssignTierInput {
  customerId: string; // the shop's own id
  /** null ends a manual assignment: the computed tier applies again. */
  tierId: string | null;
  until: string | null;
  reason: string;
  actor: string;
}

/**
 * A merchant sets a customer's tier by hand (a VIP guest, a complaint made good, a demotion
 * for abuse). It overrides the computed tier until `until` (or until removed), whatever the
 * metric says; the computed tier goes on being kept up underneath and applies again after.
 * Who did it and why is stored with the standing and its tier event.
 */
export async function assignTier(db: Db, clock: Clock, shop: ShopRow, input: AssignTierInput) {
  const now = clock.now();
  if (input.until !== null && Date.parse(input.until) <= now.getTime()) {
    throw problems.validation([{ path: 'until', message: 'must be in the future' }]);
  }
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`tiers:${shop.id}`}))`.execute(tx);
    const customer = { id: await findCustomerId(tx, shop.id, input.customerId) };
    const programme = await findTierProgramme(tx, shop.id);
    if (!programme) throw problems.notFound('A tier programme');
    if (input.tierId !== null && !tierById(programme, input.tierId)) {
      throw problems.validation([
        {
          path: 'tierId',
          message: `no tier "${input.tierId}"; the programme has ${programme.tiers.map((t) => t.id).join(', ')}`,
        },
      ]);
    }
    const state = (await loadTierStates(tx, shop.id, [customer.id])).get(customer.id) ?? null;
    if (input.tierId === null && !state?.manualTierId) {
      throw problems.notFound(`A manual tier of customer ${input.customerId}`);
    }
    const decision = decideManual(programme, state, {
      tierId: input.tierId,
      until: input.until === null ? null : new Date(input.until),
    });
    await applyTierDecisions(
      tx,
      shop.id,
      [
        {
          customerId: customer.id,
          decision,
          value: null,
          manual: { reason: input.reason, actor: input.actor },
        },
      ],
      now,
    );
    return standingView(programme, decision.state, input, now, decision.events);
  });
}

function standingView(
  programme: TierProgramme,
  state: TierState,
  input: AssignTierInput,
  now: Date,
  events: Array<{ type: string; from: string | null; to: string | null; reason: string }>,
) {
  const tierId = effectiveTierId(state, now);
  const tier = tierById(programme, tierId);
  return {
    customerId: input.customerId,
    tier: tier && { id: tier.id, name: tier.name, rank: rankOf(programme, tier.id) },
    computedTierId: state.tierId,
    manual:
      state.manualTierId === null
        ? null
        : {
            tierId: state.manualTierId,
            until: state.manualUntil?.toISOString() ?? null,
            reason: input.reason,
            actor: input.actor,
            assignedAt: now.toISOString(),
          },
    events: events.map((e) => ({ type: e.type, from: e.from, to: e.to, reason: e.reason })),
  };
}
