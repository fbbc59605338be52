import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Locale } from '../shared/i18n.ts';
import type { ShopRow } from '../shops/shop.ts';
import { normalCdf } from '../analytics/measure-lift.ts';
import { definitionOf } from './popup-schema.ts';
import { findPopup } from './manage-popups.ts';

/** Below this p-value a difference counts as real (two-sided, 5%). */
const ALPHA = 0.05;

export interface ZTest {
  z: number;
  pValue: number;
}

/**
 * The two-proportion z-test (pooled): is x1/n1 different from x2/n2? Null when either group is
 * empty or nobody (or everybody) converted in both, where there is nothing to test.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ZTest | null {
  if (n1 === 0 || n2 === 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return null;
  const z = (x1 / n1 - x2 / n2) / se;
  return { z: round(z, 4), pValue: round(2 * (1 - normalCdf(Math.abs(z))), 4) };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const rate = (x: number, n: number) => (n === 0 ? null : round(x / n, 4));

const formatNumber = (n: number, locale: Locale, digits = 1) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);

const percent = (r: number, locale: Locale) => `${formatNumber(round(r * 100, 1), locale)}%`;

/** The comparison in a sentence a merchant reads. */
function verdict(
  locale: Locale,
  o: {
    variant: string;
    control: string;
    variantRate: number | null;
    controlRate: number | null;
    test: ZTest | null;
  },
): string {
  const pl = locale === 'pl';
  if (o.variantRate === null || o.controlRate === null || o.test === null) {
    return pl
      ? `Za mało danych, by porównać wariant ${o.variant} z ${o.control}.`
      : `Not enough data yet to compare variant ${o.variant} with ${o.control}.`;
  }
  const p =
    o.test.pValue < 0.0001
      ? `< ${formatNumber(0.0001, locale, 4)}`
      : `= ${formatNumber(o.test.pValue, locale, 4)}`;
  const v = percent(o.variantRate, locale);
  const c = percent(o.controlRate, locale);
  if (o.test.pValue >= ALPHA) {
    return pl
      ? `Wariant ${o.variant} (${v} zapisów) i ${o.control} (${c}) nie różnią się w sposób pewny (p ${p}): zbierz więcej wyświetleń, zanim wybierzesz.`
      : `Variant ${o.variant} (${v} sign-ups) and ${o.control} (${c}) do not differ reliably (p ${p}): collect more impressions before choosing.`;
  }
  const better = o.variantRate > o.controlRate;
  return pl
    ? `Wariant ${o.variant} zapisuje ${better ? 'więcej' : 'mniej'} odwiedzających niż ${o.control} (${v} wobec ${c}); różnica jest istotna statystycznie (p ${p}).`
    : `Variant ${o.variant} signs up ${better ? 'more' : 'fewer'} visitors than ${o.control} (${v} against ${c}); the difference is statistically significant (p ${p}).`;
}

/**
 * A pop-up's results per variant: visitors who saw it (impressions, one per visitor and day),
 * sign-ups, confirmed sign-ups (double opt-in), welcome coupons issued, and the rates; each
 * variant's sign-up rate is compared with the first variant's (the control) by a two-proportion
 * z-test, said in words.
 */
export async function popupResults(db: Db, shop: ShopRow, popupId: string, locale: Locale) {
  const popup = await findPopup(db, shop.id, popupId);
  const variants = definitionOf(popup).variants;
  const { rows } = await sql<{
    variant: string;
    impressions: number;
    sign_ups: number;
    confirmations: number;
    coupons: number;
  }>`
    SELECT v.variant,
           COALESCE(i.n, 0)::int AS impressions,
           COALESCE(s.sign_ups, 0)::int AS sign_ups,
           COALESCE(s.confirmations, 0)::int AS confirmations,
           COALESCE(s.coupons, 0)::int AS coupons
    FROM unnest(${variants.map((v) => v.id)}::text[]) AS v(variant)
    LEFT JOIN (SELECT variant, count(*) AS n FROM popup_impressions
               WHERE shop_id = ${shop.id} AND popup_id = ${popup.id} GROUP BY variant) i
           ON i.variant = v.variant
    LEFT JOIN (SELECT variant, count(*) AS sign_ups, count(confirmed_at) AS confirmations,
                      count(coupon_id) AS coupons
               FROM popup_sign_ups WHERE shop_id = ${shop.id} AND popup_id = ${popup.id}
               GROUP BY variant) s
           ON s.variant = v.variant`.execute(db);
  const byId = new Map(rows.map((r) => [r.variant, r]));
  const stats = variants.map((v) => {
    const r = byId.get(v.id)!;
    return {
      variant: v.id,
      weight: v.weight,
      impressions: r.impressions,
      signUps: r.sign_ups,
      confirmations: r.confirmations,
      couponsIssued: r.coupons,
      signUpRate: rate(r.sign_ups, r.impressions),
      confirmationRate: rate(r.confirmations, r.impressions),
      confirmedShare: rate(r.confirmations, r.sign_ups),
    };
  });
  const control = stats[0]!;
  const comparisons = stats.slice(1).map((s) => {
    const test = twoProportionZTest(s.signUps, s.impressions, control.signUps, control.impressions);
    return {
      variant: s.variant,
      against: control.variant,
      metric: 'signUpRate' as const,
      difference:
        s.signUpRate === null || control.signUpRate === null
          ? null
          : round(s.signUpRate - control.signUpRate, 4),
      z: test?.z ?? null,
      pValue: test?.pValue ?? null,
      significant: test !== null && test.pValue < ALPHA,
      summary: verdict(locale, {
        variant: s.variant,
        control: control.variant,
        variantRate: s.signUpRate,
        controlRate: control.signUpRate,
        test,
      }),
    };
  });
  return { popupId: popup.id, locale, variants: stats, comparisons };
}
