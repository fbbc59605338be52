import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  List,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { fieldProblem } from '../../ui/field-error.ts';
import { MoneyInput } from '../../ui/money-input.tsx';
import { Forbidden } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { useRewards } from '../rewards/rewards-data.ts';
import { RewardFields } from './reward-fields.tsx';
import {
  useSaveReferralCampaign,
  type ReferralCampaign,
  type ReferralSettings,
} from './referrals-data.ts';
import { useTermsSummary } from './terms-summary.ts';

const num = (v: number | string) => (v === '' ? undefined : Number(v));

/** A new campaign's terms: 10 points on sign-up, a 20 zł coupon each after the first order. */
export const NEW_TERMS: ReferralSettings = {
  lead: { referrer: { kind: 'points', points: 10 }, friend: null },
  main: {
    referrer: { kind: 'coupon', discount: { kind: 'fixed', amount: 2000 }, validDays: 30 },
    friend: { kind: 'points', points: 100 },
    everyPurchaseUpTo: 1,
  },
  friendDiscount: { kind: 'percentage', percent: 10 },
  minOrderValue: 0,
  holdForReturnWindow: true,
  monthlyCapPerReferrer: 10,
  termsUrl: null,
  attributionWindowDays: 30,
  attribution: 'first_touch',
  pointValue: 1,
  fraud: {
    flagAt: 50,
    rejectAt: 100,
    sameClientHours: 72,
    velocityPerWeek: 3,
    leakedCodeFriends: 10,
    leakedCodeHours: 24,
  },
};

/** A referral campaign's two-stage, two-sided terms, with their plain-words summary. */
export function ReferralCampaignForm({
  campaign,
  onDone,
}: {
  campaign: ReferralCampaign | null;
  onDone: () => void;
}) {
  const intl = useIntl();
  const { locale } = useLocale();
  const { shop } = useShop();
  const currency = shop?.currency ?? 'PLN';
  const save = useSaveReferralCampaign(campaign?.id ?? null);
  const wide = useMediaQuery('(min-width: 48em)') ?? false;
  const rewards = useRewards();
  const problemText = useProblemText();
  const [name, setName] = useState(campaign?.name ?? '');
  const [landing, setLanding] = useState(campaign?.landing ?? 'page');
  const [s, setS] = useState<ReferralSettings>(campaign?.settings ?? NEW_TERMS);
  const rewardOptions = (rewards.data ?? []).map((r) => ({
    value: r.id,
    label: r.names[locale] || r.name,
  }));
  const summary = useTermsSummary(new Map(rewardOptions.map((r) => [r.value, r.label])));
  const set = (patch: Partial<ReferralSettings>) => setS((prev) => ({ ...prev, ...patch }));
  const setFraud = (patch: Partial<ReferralSettings['fraud']>) =>
    setS((prev) => ({ ...prev, fraud: { ...prev.fraud, ...patch } }));

  const error = save.error;
  const bad = (path: string) => fieldProblem(error, path);
  const otherError =
    error instanceof ApiError && error.status !== 403 && error.errors.length === 0 ? error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      {
        name,
        landing,
        startsAt: campaign?.startsAt ?? null,
        endsAt: campaign?.endsAt ?? null,
        settings: { ...s, termsUrl: s.termsUrl?.trim() ? s.termsUrl.trim() : null },
      },
      { onSuccess: onDone },
    );
  };

  const reward = (stage: 'lead' | 'main', party: 'referrer' | 'friend') => (
    <RewardFields
      testId={`reward-${stage}-${party}`}
      label={intl.formatMessage({ id: `referrals.form.${party}` })}
      value={s[stage][party]}
      onChange={(r) => setS((prev) => ({ ...prev, [stage]: { ...prev[stage], [party]: r } }))}
      currency={currency}
      rewards={rewardOptions}
      error={bad(`settings.${stage}.${party}`)}
    />
  );
  const friendDiscount = s.friendDiscount;

  return (
    <form onSubmit={submit} noValidate data-testid="referral-campaign-form">
      <Stack gap="sm">
        {error instanceof ApiError && error.status === 403 && <Forbidden />}
        {otherError && (
          <Alert color="red" role="alert">
            {problemText(otherError)}
          </Alert>
        )}
        <TextInput
          label={intl.formatMessage({ id: 'referrals.form.name' })}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={bad('name')}
        />
        <Paper
          withBorder
          p="sm"
          bg="gray.0"
          aria-live="polite"
          data-testid="terms-summary"
          // Kept in view while the fields below are edited (on a phone it would hide them).
          style={wide ? { position: 'sticky', top: 60, zIndex: 3 } : undefined}
        >
          <Text fw={600} size="sm" mb={4}>
            <FormattedMessage id="referrals.form.summary" />
          </Text>
          <List size="sm" spacing={2}>
            {summary(s).map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
          {campaign && (
            <Text size="xs" c="dimmed" mt={4}>
              <FormattedMessage id="referrals.form.appliesToNew" />
            </Text>
          )}
        </Paper>
        <Fieldset legend={intl.formatMessage({ id: 'referrals.form.lead' })}>
          <Stack gap="xs">
            {reward('lead', 'referrer')}
            {reward('lead', 'friend')}
          </Stack>
        </Fieldset>
        <Fieldset legend={intl.formatMessage({ id: 'referrals.form.main' })}>
          <Stack gap="xs">
            {reward('main', 'referrer')}
            {reward('main', 'friend')}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput
                label={intl.formatMessage({ id: 'referrals.form.everyPurchaseUpTo' })}
                min={1}
                max={100}
                allowDecimal={false}
                value={s.main.everyPurchaseUpTo}
                onChange={(v) =>
                  setS((prev) => ({
                    ...prev,
                    main: { ...prev.main, everyPurchaseUpTo: num(v) ?? 1 },
                  }))
                }
                error={bad('settings.main.everyPurchaseUpTo')}
              />
              <MoneyInput
                label={intl.formatMessage({ id: 'referrals.form.minOrderValue' })}
                currency={currency}
                value={s.minOrderValue}
                onChange={(v) => set({ minOrderValue: v ?? 0 })}
                error={bad('settings.minOrderValue')}
              />
            </SimpleGrid>
            <Checkbox
              label={intl.formatMessage({ id: 'referrals.form.hold' })}
              checked={s.holdForReturnWindow}
              onChange={(e) => set({ holdForReturnWindow: e.currentTarget.checked })}
            />
          </Stack>
        </Fieldset>
        <Fieldset legend={intl.formatMessage({ id: 'referrals.form.friendDiscount' })}>
          <Group align="flex-start" gap="xs" wrap="wrap">
            <Select
              label={intl.formatMessage({ id: 'referrals.form.friendDiscountKind' })}
              w={200}
              allowDeselect={false}
              value={friendDiscount?.kind ?? 'none'}
              onChange={(v) =>
                set({
                  friendDiscount:
                    v === 'fixed'
                      ? { kind: 'fixed', amount: 2000 }
                      : v === 'percentage'
                        ? { kind: 'percentage', percent: 10 }
                        : null,
                })
              }
              data={(['none', 'fixed', 'percentage'] as const).map((k) => ({
                value: k,
                label: intl.formatMessage({ id: `referrals.form.kind.${k}` }),
              }))}
            />
            {friendDiscount?.kind === 'fixed' && (
              <MoneyInput
                label={intl.formatMessage({ id: 'referrals.form.amount' })}
                w={140}
                currency={currency}
                value={friendDiscount.amount}
                onChange={(amount) =>
                  set({ friendDiscount: { kind: 'fixed', amount: amount ?? 0 } })
                }
                error={bad('settings.friendDiscount')}
              />
            )}
            {friendDiscount?.kind === 'percentage' && (
              <NumberInput
                label={intl.formatMessage({ id: 'referrals.form.percent' })}
                w={100}
                min={1}
                max={100}
                value={friendDiscount.percent}
                onChange={(v) =>
                  set({ friendDiscount: { kind: 'percentage', percent: num(v) ?? 0 } })
                }
                error={bad('settings.friendDiscount')}
              />
            )}
          </Group>
        </Fieldset>
        <Fieldset legend={intl.formatMessage({ id: 'referrals.form.limits' })}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label={intl.formatMessage({ id: 'referrals.form.cap' })}
              description={intl.formatMessage({ id: 'referrals.form.capHint' })}
              min={1}
              allowDecimal={false}
              value={s.monthlyCapPerReferrer ?? ''}
              onChange={(v) => set({ monthlyCapPerReferrer: num(v) ?? null })}
              error={bad('settings.monthlyCapPerReferrer')}
            />
            <NumberInput
              label={intl.formatMessage({ id: 'referrals.form.window' })}
              min={1}
              allowDecimal={false}
              value={s.attributionWindowDays}
              onChange={(v) => set({ attributionWindowDays: num(v) ?? 30 })}
              error={bad('settings.attributionWindowDays')}
            />
            <TextInput
              label={intl.formatMessage({ id: 'referrals.form.termsUrl' })}
              type="url"
              value={s.termsUrl ?? ''}
              onChange={(e) => set({ termsUrl: e.currentTarget.value })}
              error={bad('settings.termsUrl')}
            />
            <Select
              label={intl.formatMessage({ id: 'referrals.form.landing' })}
              allowDeselect={false}
              value={landing}
              onChange={(v) => setLanding(v === 'redirect' ? 'redirect' : 'page')}
              data={(['page', 'redirect'] as const).map((k) => ({
                value: k,
                label: intl.formatMessage({ id: `referrals.form.landing.${k}` }),
              }))}
            />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend={intl.formatMessage({ id: 'referrals.form.fraud' })}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {(
              [
                'flagAt',
                'rejectAt',
                'sameClientHours',
                'velocityPerWeek',
                'leakedCodeFriends',
                'leakedCodeHours',
              ] as const
            ).map((field) => (
              <NumberInput
                key={field}
                label={intl.formatMessage({ id: `referrals.form.fraud.${field}` })}
                min={1}
                allowDecimal={false}
                value={s.fraud[field]}
                onChange={(v) => setFraud({ [field]: num(v) ?? 1 })}
                error={bad(`settings.fraud.${field}`)}
              />
            ))}
          </SimpleGrid>
        </Fieldset>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            <FormattedMessage id="referrals.form.save" />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
