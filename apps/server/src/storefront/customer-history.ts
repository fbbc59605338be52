import type { Db } from '../db/connect.ts';
import type { Locale } from '../shared/i18n.ts';
import type { ShopRow } from '../shops/shop.ts';
import { listLedger } from '../points/list-ledger.ts';
import { ruleKinds, type RuleCode } from '../points/earning-rules.ts';

type Entry = Awaited<ReturnType<typeof listLedger>>['data'][number];

const WORDS = {
  pl: {
    order: (id: string | null) => (id ? `Zamówienie ${id}` : 'Zamówienie'),
    redemption: (name: string | null) => (name ? `Nagroda: ${name}` : 'Nagroda'),
    adjustment: 'Korekta sklepu',
    gift: 'Punkty od sklepu',
    expiry: 'Punkty wygasły',
    reversal: 'Zwrot lub anulowanie',
    rule: 'Punkty od sklepu',
  },
  en: {
    order: (id: string | null) => (id ? `Order ${id}` : 'Order'),
    redemption: (name: string | null) => (name ? `Reward: ${name}` : 'Reward'),
    adjustment: 'Adjusted by the shop',
    gift: 'Points from the shop',
    expiry: 'Points expired',
    reversal: 'Refund or cancellation',
    rule: 'Points from the shop',
  },
} as const;

function describe(entry: Entry, rewardNames: Map<string, string>, locale: Locale): string {
  const w = WORDS[locale];
  const cause = entry.cause;
  switch (cause.type) {
    case 'order':
      return w.order(cause.orderId);
    case 'rule': {
      const code = cause.rule?.code as RuleCode | undefined;
      return code && code in ruleKinds ? ruleKinds[code].title[locale] : w.rule;
    }
    case 'redemption':
      return w.redemption(cause.rewardId ? (rewardNames.get(cause.rewardId) ?? null) : null);
    case 'adjustment':
      // Points given (a flow, a gift, a goodwill gesture) read as a gift; taken, as a correction.
      return entry.points > 0 ? w.gift : w.adjustment;
    case 'expiry':
      return w.expiry;
    default:
      return w.reversal;
  }
}

/**
 * The shopper's points history, newest first, each entry in words ("Zamówienie 1042", "Nagroda:
 * 25 zł rabatu") — without the staff's reasons or who adjusted, which are the shop's notes.
 */
export async function customerHistory(
  db: Db,
  shop: ShopRow,
  externalId: string,
  page: { limit: number; before?: string },
  locale: Locale,
) {
  const ledger = await listLedger(db, shop, externalId, page);
  const rewardIds = [
    ...new Set(
      ledger.data.flatMap((e) =>
        e.cause.type === 'redemption' && e.cause.rewardId ? [e.cause.rewardId] : [],
      ),
    ),
  ];
  const rewards = rewardIds.length
    ? await db
        .selectFrom('rewards')
        .select(['id', 'name'])
        .where('shop_id', '=', shop.id)
        .where('id', 'in', rewardIds)
        .execute()
    : [];
  const names = new Map(rewards.map((r) => [r.id, r.name[locale]]));
  return {
    data: ledger.data.map((e) => ({
      id: e.id,
      points: e.points,
      kind: e.kind,
      text: describe(e, names, locale),
      at: e.createdAt,
      availableAt: e.availableAt,
      expiresAt: e.expiresAt,
    })),
    nextBefore: ledger.nextBefore,
  };
}
