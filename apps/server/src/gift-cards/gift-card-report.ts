import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

interface MonthRow {
  currency: string;
  month: string;
  issued: string;
  spent: string;
  voided: string;
  breakage: string;
  adjusted: string;
  liability: string;
}

/**
 * Gift card liability and breakage by month of the shop's calendar, straight from the ledger:
 * issued (earn entries), spent (spends less their refunds), voided (refunded or cancelled sales),
 * breakage (value that expired unused), other adjustments, and the liability at the month's end
 * — the running sum of every entry so far, which is what the cards' balances add up to.
 */
export async function giftCardReport(db: Db, shopId: string, timezone: string) {
  const { rows } = await sql<MonthRow>`
    WITH months AS (
      SELECT g.currency, to_char(e.effective_at AT TIME ZONE ${timezone}, 'YYYY-MM') AS month,
             COALESCE(sum(e.points) FILTER (WHERE e.kind = 'earn'), 0) AS issued,
             COALESCE(-sum(e.points) FILTER (WHERE e.kind IN ('redeem', 'reverse')), 0) AS spent,
             COALESCE(-sum(e.points) FILTER (WHERE e.reason = 'voided'), 0) AS voided,
             COALESCE(-sum(e.points) FILTER (WHERE e.kind = 'expire'), 0) AS breakage,
             COALESCE(sum(e.points) FILTER (
               WHERE e.kind = 'adjust' AND e.reason IS DISTINCT FROM 'voided'), 0) AS adjusted,
             sum(e.points) AS net
      FROM gift_card_entries e
      JOIN gift_cards g ON g.shop_id = e.shop_id AND g.id = e.gift_card_id
      WHERE e.shop_id = ${shopId}
      GROUP BY 1, 2
    )
    SELECT currency, month, issued, spent, voided, breakage, adjusted,
           sum(net) OVER (PARTITION BY currency ORDER BY month) AS liability
    FROM months ORDER BY currency, month`.execute(db);
  const { rows: now } = await sql<{ currency: string; outstanding: string; cards: string }>`
    SELECT g.currency, COALESCE(sum(a.balance), 0) AS outstanding,
           count(*) FILTER (WHERE a.balance > 0) AS cards
    FROM gift_cards g
    JOIN gift_card_accounts a ON a.shop_id = g.shop_id AND a.gift_card_id = g.id
    WHERE g.shop_id = ${shopId} AND g.disabled_at IS NULL
    GROUP BY g.currency ORDER BY g.currency`.execute(db);
  const currencies = [...new Set([...rows.map((r) => r.currency), ...now.map((r) => r.currency)])];
  return {
    data: currencies.map((currency) => {
      const current = now.find((r) => r.currency === currency);
      return {
        currency,
        outstanding: Number(current?.outstanding ?? 0),
        activeCards: Number(current?.cards ?? 0),
        months: rows
          .filter((r) => r.currency === currency)
          .map((r) => ({
            month: r.month,
            issued: Number(r.issued),
            spent: Number(r.spent),
            voided: Number(r.voided),
            breakage: Number(r.breakage),
            adjusted: Number(r.adjusted),
            liability: Number(r.liability),
          })),
      };
    }),
  };
}
