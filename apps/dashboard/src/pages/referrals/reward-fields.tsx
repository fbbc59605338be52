import { Group, NumberInput, Select } from '@mantine/core';
import { useIntl } from 'react-intl';
import { MoneyInput } from '../../ui/money-input.tsx';
import type { CouponDiscount, ReferralReward } from './referrals-data.ts';

type Kind = 'none' | 'points' | 'fixed' | 'percentage' | 'reward';
const num = (v: number | string) => (v === '' ? undefined : Number(v));

function kindOf(r: ReferralReward | null | undefined): Kind {
  if (!r) return 'none';
  if (r.kind === 'coupon') return r.discount.kind;
  return r.kind;
}

/** One side's reward at one stage: nothing, points, a coupon, or a catalogue reward. */
export function RewardFields({
  label,
  value,
  onChange,
  currency,
  rewards,
  error,
  testId,
}: {
  label: string;
  value: ReferralReward | null | undefined;
  onChange: (r: ReferralReward | null) => void;
  currency: string;
  rewards: { value: string; label: string }[];
  error?: string | undefined;
  testId: string;
}) {
  const intl = useIntl();
  const kind = kindOf(value);
  const coupon = value?.kind === 'coupon' ? value : null;
  const setKind = (k: Kind) => {
    if (k === 'none') onChange(null);
    else if (k === 'points') onChange({ kind: 'points', points: 100 });
    else if (k === 'reward') onChange({ kind: 'reward', rewardId: rewards[0]?.value ?? '' });
    else
      onChange({
        kind: 'coupon',
        discount:
          k === 'fixed' ? { kind: 'fixed', amount: 2000 } : { kind: 'percentage', percent: 10 },
        validDays: coupon?.validDays ?? 30,
      });
  };
  const setDiscount = (d: CouponDiscount) =>
    onChange({ kind: 'coupon', discount: d, validDays: coupon?.validDays ?? 30 });
  return (
    <Group align="flex-start" gap="xs" wrap="wrap" data-testid={testId}>
      <Select
        label={label}
        w={200}
        allowDeselect={false}
        value={kind}
        onChange={(v) => setKind((v ?? 'none') as Kind)}
        error={error}
        data={(['none', 'points', 'fixed', 'percentage', 'reward'] as const)
          .filter((k) => k !== 'reward' || rewards.length > 0)
          .map((k) => ({
            value: k,
            label: intl.formatMessage({ id: `referrals.form.kind.${k}` }),
          }))}
      />
      {value?.kind === 'points' && (
        <NumberInput
          label={intl.formatMessage({ id: 'referrals.form.points' })}
          w={120}
          min={1}
          allowDecimal={false}
          value={value.points}
          onChange={(v) => onChange({ kind: 'points', points: num(v) ?? 0 })}
        />
      )}
      {coupon?.discount.kind === 'fixed' && (
        <MoneyInput
          label={intl.formatMessage({ id: 'referrals.form.amount' })}
          w={140}
          currency={currency}
          value={coupon.discount.amount}
          onChange={(amount) => setDiscount({ kind: 'fixed', amount: amount ?? 0 })}
        />
      )}
      {coupon?.discount.kind === 'percentage' && (
        <NumberInput
          label={intl.formatMessage({ id: 'referrals.form.percent' })}
          w={100}
          min={1}
          max={100}
          value={coupon.discount.percent}
          onChange={(v) => setDiscount({ kind: 'percentage', percent: num(v) ?? 0 })}
        />
      )}
      {coupon && (
        <NumberInput
          label={intl.formatMessage({ id: 'referrals.form.validDays' })}
          w={120}
          min={1}
          allowDecimal={false}
          value={coupon.validDays ?? 30}
          onChange={(v) => onChange({ ...coupon, validDays: num(v) ?? 30 })}
        />
      )}
      {value?.kind === 'reward' && (
        <Select
          label={intl.formatMessage({ id: 'referrals.form.catalogueReward' })}
          w={220}
          allowDeselect={false}
          value={value.rewardId}
          data={rewards}
          onChange={(v) => onChange({ kind: 'reward', rewardId: v ?? '' })}
        />
      )}
    </Group>
  );
}
