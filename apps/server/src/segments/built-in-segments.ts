import { currencyExponent } from '../shared/money.ts';
import type { SegmentRule } from './segment-rules.ts';

export interface SegmentDefinition {
  id: string;
  name: { pl: string; en: string };
  description: { pl: string; en: string };
  rules: SegmentRule;
}

/**
 * The segments every shop has. VIP's threshold is 1,000 in the shop's currency (1,000 zł).
 * RFM scores are quintiles among the shop's buyers.
 */
export function builtInSegments(currency: string): SegmentDefinition[] {
  const thousand = 1000 * 10 ** currencyExponent(currency);
  return [
    {
      id: 'vip',
      name: { pl: 'VIP', en: 'VIP' },
      description: { pl: 'Wydali łącznie ponad 1000', en: 'Spent over 1,000 in total' },
      rules: { fact: 'total_spent', op: 'gt', value: thousand },
    },
    {
      id: 'new',
      name: { pl: 'Nowi klienci', en: 'New customers' },
      description: {
        pl: 'Pierwsze zamówienie w ciągu 30 dni',
        en: 'First order within the last 30 days',
      },
      rules: { fact: 'days_since_first_order', op: 'lte', value: 30 },
    },
    {
      id: 'one-time',
      name: { pl: 'Jednorazowi klienci', en: 'One-time buyers' },
      description: { pl: 'Dokładnie jedno zamówienie', en: 'Exactly one order' },
      rules: { fact: 'orders_count', op: 'eq', value: 1 },
    },
    {
      id: 'dormant',
      name: { pl: 'Uśpieni', en: 'Dormant' },
      description: { pl: 'Brak zamówień od 6 miesięcy', en: 'No order for 6 months' },
      rules: { fact: 'days_since_last_order', op: 'gt', value: 182 },
    },
    {
      id: 'at-risk',
      name: { pl: 'Zagrożeni odejściem', en: 'At risk' },
      description: {
        pl: 'Kupowali często, ale dawno',
        en: 'Used to buy often, but not lately',
      },
      rules: {
        all: [
          { fact: 'rfm_recency', op: 'lte', value: 2 },
          { fact: 'rfm_frequency', op: 'gte', value: 4 },
        ],
      },
    },
    {
      id: 'champions',
      name: { pl: 'Mistrzowie', en: 'Champions' },
      description: {
        pl: 'Kupują niedawno, często i dużo',
        en: 'Bought recently, often and for a lot',
      },
      rules: {
        all: [
          { fact: 'rfm_recency', op: 'gte', value: 4 },
          { fact: 'rfm_frequency', op: 'gte', value: 4 },
          { fact: 'rfm_monetary', op: 'gte', value: 4 },
        ],
      },
    },
  ];
}

/** The built-in segments' ids (the same in every currency): names a flow may use with no row. */
export const BUILT_IN_SEGMENT_IDS: ReadonlySet<string> = new Set(
  builtInSegments('PLN').map((segment) => segment.id),
);
