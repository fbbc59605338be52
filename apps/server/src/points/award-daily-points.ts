import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { addMonths, localDay } from '../shared/zoned-time.ts';
import { credit } from './account.ts';
import { MAX_POINTS, pointsForFact, type EarnIntent } from './evaluate-rules.ts';
import { loadTierBenefits } from '../tiers/load-tier-benefits.ts';
import { openAccounts, saveAccounts } from './ledger.ts';
import { liveProgramme } from './live-programme.ts';
import { celebratesNameDay } from '../customers/name-days-pl.ts';
import { birthdayMonthDays, celebratingCustomers } from '../customers/celebrating-customers.ts';

const CHUNK = 1000;

/**
 * Birthday and name-day points for one shop, on the day in the shop's time zone. Safe to run
 * any number of times a day: the keys are per rule, customer and year. Someone born on
 * 29 February celebrates on the 28th in other years. Returns the number of awards.
 */
export async function awardDailyPoints(db: Db, clock: Clock, shopId: string): Promise<number> {
  const now = clock.now();
  const shop = await db
    .selectFrom('shops')
    .select(['timezone'])
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  const live = await liveProgramme(db, shopId);
  const active = new Set(live.programme.rules.filter((r) => r.active).map((r) => r.code));
  if (!active.has('birthday') && !active.has('name_day')) return 0;

  const today = localDay(now, shop.timezone);
  const monthDay = today.slice(5);
  const birthdays = birthdayMonthDays(today);
  const candidates = await celebratingCustomers(db, shopId, today, {
    birthday: active.has('birthday'),
    nameDay: active.has('name_day'),
  });

  let awarded = 0;
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const chunk = candidates.slice(i, i + CHUNK);
    const tiers = await loadTierBenefits(
      db,
      shopId,
      chunk.map((c) => c.id),
      now,
    );
    const plans = chunk.map((c) => ({
      customerId: c.id,
      intents: withBirthdayMultiplier(
        pointsForFact(
          {
            programme: live.programme,
            version: live.version,
            timezone: shop.timezone,
            customerId: c.id,
            at: now,
            tierMultiplier: tiers.get(c.id)?.pointsMultiplier ?? 1,
            history: [],
          },
          {
            kind: 'day',
            monthDay,
            isBirthday: c.birthday !== null && birthdays.includes(c.birthday.slice(5)),
            isNameDay: c.first_name !== null && celebratesNameDay(c.first_name, monthDay),
          },
        ),
        tiers.get(c.id)?.birthdayMultiplier ?? 1,
      ),
    }));
    awarded += await db.transaction().execute(async (tx) => {
      const accounts = await openAccounts(
        tx,
        shopId,
        plans.filter((p) => p.intents.length > 0).map((p) => p.customerId),
        {
          keys: plans.flatMap((p) => p.intents.map((x) => x.key)),
        },
      );
      let count = 0;
      const months = live.programme.settings.expiryMonths;
      for (const plan of plans) {
        for (const intent of plan.intents) {
          const entry = credit(accounts.get(plan.customerId)!, {
            points: intent.points,
            kind: 'earn',
            cause: 'rule',
            ruleId: intent.ruleId,
            ruleCode: intent.ruleCode,
            programmeVersion: intent.programmeVersion,
            key: intent.key,
            at: now,
            availableAt: now,
            expiresAt: months === null ? null : addMonths(now, months),
          });
          if (entry) count++;
        }
      }
      await saveAccounts(tx, accounts.values(), now);
      return count;
    });
  }
  return awarded;
}

/** A tier's birthday multiplier, on the birthday rule's points after its campaign and cap. */
function withBirthdayMultiplier(intents: EarnIntent[], multiplier: number): EarnIntent[] {
  if (multiplier === 1) return intents;
  return intents.map((intent) =>
    intent.ruleCode === 'birthday'
      ? {
          ...intent,
          points: Math.min(MAX_POINTS, Math.floor(intent.points * multiplier)),
          multiplier: intent.multiplier * multiplier,
        }
      : intent,
  );
}
