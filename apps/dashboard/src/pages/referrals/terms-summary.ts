import { useIntl } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import type { CouponDiscount, ReferralReward, ReferralSettings } from './referrals-data.ts';

/**
 * A campaign's terms in plain words, sentence by sentence, as the merchant edits them:
 * who gets what at sign-up and after the purchase, the friend's discount, the limits.
 */
export function useTermsSummary(rewardNames: Map<string, string>) {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const t = (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id }, values);

  const discount = (d: CouponDiscount) =>
    d.kind === 'fixed'
      ? fmt.money(d.amount)
      : d.cap
        ? t('referrals.terms.percentCapped', { percent: d.percent, cap: fmt.money(d.cap) })
        : t('referrals.terms.percent', { percent: d.percent });

  const reward = (r: ReferralReward) =>
    r.kind === 'points'
      ? t('referrals.terms.points', { points: r.points })
      : r.kind === 'coupon'
        ? t('referrals.terms.coupon', { discount: discount(r.discount), days: r.validDays ?? 30 })
        : t('referrals.terms.catalogue', { name: rewardNames.get(r.rewardId) ?? r.rewardId });

  const sides = (s: { referrer?: ReferralReward | null; friend?: ReferralReward | null }) => {
    const parts = [
      s.referrer && t('referrals.terms.referrerGets', { reward: reward(s.referrer) }),
      s.friend && t('referrals.terms.friendGets', { reward: reward(s.friend) }),
    ].filter((p): p is string => Boolean(p));
    return parts.length
      ? intl.formatList(parts, { type: 'conjunction' })
      : t('referrals.terms.nothing');
  };

  return (s: ReferralSettings): string[] => {
    const lines = [
      t('referrals.terms.lead', { parts: sides(s.lead) }),
      t('referrals.terms.main', {
        upTo: s.main.everyPurchaseUpTo,
        hold: String(s.holdForReturnWindow),
        hasMin: String(s.minOrderValue > 0),
        min: fmt.money(s.minOrderValue),
        parts: sides(s.main),
      }),
      s.friendDiscount
        ? t('referrals.terms.friendDiscount', { discount: discount(s.friendDiscount) })
        : t('referrals.terms.noFriendDiscount'),
      t('referrals.terms.window', { days: s.attributionWindowDays }),
      s.monthlyCapPerReferrer
        ? t('referrals.terms.cap', { cap: s.monthlyCapPerReferrer })
        : t('referrals.terms.noCap'),
      t('referrals.terms.fraud', { flagAt: s.fraud.flagAt, rejectAt: s.fraud.rejectAt }),
    ];
    return lines;
  };
}
