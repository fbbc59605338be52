import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Fieldset,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { fieldProblem } from '../../ui/field-error.ts';
import { MoneyInput } from '../../ui/money-input.tsx';
import { dayOf, endOfDay, lastDayOf, startOfDay } from '../../ui/shop-time.ts';
import { Forbidden } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import {
  REWARD_KINDS,
  useSaveReward,
  useTiers,
  type Reward,
  type RewardInput,
  type RewardKind,
} from './rewards-data.ts';

const num = (v: number | string) => (v === '' || v === undefined ? undefined : Number(v));

/** Every term a reward takes, as a form; the server's field errors shown by each field. */
export function RewardForm({ reward, onDone }: { reward: Reward | null; onDone: () => void }) {
  const intl = useIntl();
  const { locale } = useLocale();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const tz = fmt.timezone;
  const currency = shop?.currency ?? 'PLN';
  const tiers = useTiers();
  const save = useSaveReward(reward?.id ?? null);
  const problemText = useProblemText();
  const [namePl, setNamePl] = useState(reward?.names.pl ?? '');
  const [nameEn, setNameEn] = useState(reward?.names.en ?? '');
  const [descPl, setDescPl] = useState(reward?.description?.pl ?? '');
  const [descEn, setDescEn] = useState(reward?.description?.en ?? '');
  const [kind, setKind] = useState<RewardKind>(reward?.kind ?? 'fixed_discount');
  const [pointsCost, setPointsCost] = useState<number | undefined>(reward?.pointsCost);
  const [amount, setAmount] = useState<number | undefined>(reward?.amount ?? undefined);
  const [percent, setPercent] = useState<number | undefined>(reward?.percent ?? undefined);
  const [cap, setCap] = useState<number | undefined>(reward?.cap ?? undefined);
  const [productId, setProductId] = useState(reward?.productId ?? '');
  const [minBasket, setMinBasket] = useState<number | undefined>(reward?.minBasket ?? undefined);
  const [from, setFrom] = useState(reward?.startsAt ? dayOf(reward.startsAt, tz) : '');
  const [until, setUntil] = useState(reward?.endsAt ? lastDayOf(reward.endsAt, tz) : '');
  const [stock, setStock] = useState<number | undefined>(reward?.stock ?? undefined);
  const [perCustomer, setPerCustomer] = useState<number | undefined>(
    reward?.perCustomerLimit ?? undefined,
  );
  const [minTier, setMinTier] = useState<string | null>(reward?.minTier ?? null);
  const [couponDays, setCouponDays] = useState<number | undefined>(reward?.couponValidDays ?? 30);

  const error = save.error;
  const bad = (path: string, id: string) =>
    fieldProblem(error, path) ? intl.formatMessage({ id }) : undefined;
  const otherError =
    error instanceof ApiError && error.status !== 403 && error.errors.length === 0 ? error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const description =
      descPl.trim() || descEn.trim()
        ? { pl: descPl.trim() || descEn.trim(), en: descEn.trim() || descPl.trim() }
        : undefined;
    const input: RewardInput = {
      name: { pl: namePl, en: nameEn },
      ...(description && { description }),
      kind,
      pointsCost,
      ...(kind === 'fixed_discount' && amount !== undefined && { amount }),
      ...(kind === 'percentage_discount' && percent !== undefined && { percent }),
      ...(kind === 'percentage_discount' && cap !== undefined && { cap }),
      ...(kind === 'free_product' && productId.trim() && { productId: productId.trim() }),
      ...(kind !== 'custom_perk' && minBasket !== undefined && { minBasket }),
      startsAt: from ? startOfDay(from, tz) : null,
      endsAt: until ? endOfDay(until, tz) : null,
      stock: stock ?? null,
      perCustomerLimit: perCustomer ?? null,
      minTier,
      couponValidDays: couponDays,
    };
    save.mutate(input, { onSuccess: onDone });
  };

  const tierName = (t: { name: { pl: string; en: string } }) =>
    locale === 'pl' ? t.name.pl : t.name.en;
  return (
    <form onSubmit={submit} noValidate data-testid="reward-form">
      <Stack gap="sm">
        {error instanceof ApiError && error.status === 403 && <Forbidden />}
        {otherError && (
          <Alert color="red" role="alert">
            {problemText(otherError)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={intl.formatMessage({ id: 'rewards.f.namePl' })}
            required
            value={namePl}
            onChange={(e) => setNamePl(e.currentTarget.value)}
            error={bad('name', 'rewards.e.name')}
          />
          <TextInput
            label={intl.formatMessage({ id: 'rewards.f.nameEn' })}
            required
            value={nameEn}
            onChange={(e) => setNameEn(e.currentTarget.value)}
            error={bad('name', 'rewards.e.name')}
          />
          <TextInput
            label={intl.formatMessage({ id: 'rewards.f.descPl' })}
            value={descPl}
            onChange={(e) => setDescPl(e.currentTarget.value)}
            error={bad('description', 'rewards.e.name')}
          />
          <TextInput
            label={intl.formatMessage({ id: 'rewards.f.descEn' })}
            value={descEn}
            onChange={(e) => setDescEn(e.currentTarget.value)}
            error={bad('description', 'rewards.e.name')}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={intl.formatMessage({ id: 'rewards.f.kind' })}
            data={REWARD_KINDS.map((k) => ({
              value: k,
              label: intl.formatMessage({ id: `rewards.kind.${k}` }),
            }))}
            value={kind}
            onChange={(v) => v && setKind(v as RewardKind)}
            allowDeselect={false}
            error={bad('kind', 'rewards.e.kind')}
          />
          <NumberInput
            label={intl.formatMessage({ id: 'rewards.f.pointsCost' })}
            required
            min={1}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator={locale === 'pl' ? ' ' : ','}
            value={pointsCost ?? ''}
            onChange={(v) => setPointsCost(num(v))}
            error={bad('pointsCost', 'rewards.e.pointsCost')}
          />
        </SimpleGrid>
        {kind === 'fixed_discount' && (
          <MoneyInput
            label={intl.formatMessage({ id: 'rewards.f.amount' })}
            description={intl.formatMessage({ id: 'rewards.f.amountHint' }, { currency })}
            required
            currency={currency}
            value={amount}
            onChange={setAmount}
            error={bad('amount', 'rewards.e.amount')}
          />
        )}
        {kind === 'percentage_discount' && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label={intl.formatMessage({ id: 'rewards.f.percent' })}
              required
              min={0.01}
              max={100}
              decimalScale={2}
              decimalSeparator={locale === 'pl' ? ',' : '.'}
              rightSection={<span aria-hidden="true">%</span>}
              value={percent ?? ''}
              onChange={(v) => setPercent(num(v))}
              error={bad('percent', 'rewards.e.percent')}
            />
            <MoneyInput
              label={intl.formatMessage({ id: 'rewards.f.cap' })}
              description={intl.formatMessage({ id: 'rewards.f.optional' })}
              currency={currency}
              value={cap}
              onChange={setCap}
              error={bad('cap', 'rewards.e.amount')}
            />
          </SimpleGrid>
        )}
        {kind === 'free_product' && (
          <TextInput
            label={intl.formatMessage({ id: 'rewards.f.productId' })}
            description={intl.formatMessage({ id: 'rewards.f.productIdHint' })}
            required
            value={productId}
            onChange={(e) => setProductId(e.currentTarget.value)}
            error={bad('productId', 'rewards.e.productId')}
          />
        )}
        <Fieldset legend={intl.formatMessage({ id: 'rewards.f.limits' })}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {kind !== 'custom_perk' && (
              <MoneyInput
                label={intl.formatMessage({ id: 'rewards.f.minBasket' })}
                description={intl.formatMessage({ id: 'rewards.f.optional' })}
                currency={currency}
                value={minBasket}
                onChange={setMinBasket}
                error={bad('minBasket', 'rewards.e.amountOrZero')}
              />
            )}
            <NumberInput
              label={intl.formatMessage({ id: 'rewards.f.couponDays' })}
              min={1}
              max={3650}
              allowDecimal={false}
              allowNegative={false}
              value={couponDays ?? ''}
              onChange={(v) => setCouponDays(num(v))}
              error={bad('couponValidDays', 'rewards.e.couponDays')}
            />
            <NumberInput
              label={intl.formatMessage({ id: 'rewards.f.stock' })}
              description={intl.formatMessage({ id: 'rewards.f.unlimitedHint' })}
              min={0}
              allowDecimal={false}
              allowNegative={false}
              value={stock ?? ''}
              onChange={(v) => setStock(num(v))}
              error={bad('stock', 'rewards.e.count')}
            />
            <NumberInput
              label={intl.formatMessage({ id: 'rewards.f.perCustomer' })}
              description={intl.formatMessage({ id: 'rewards.f.unlimitedHint' })}
              min={1}
              allowDecimal={false}
              allowNegative={false}
              value={perCustomer ?? ''}
              onChange={(v) => setPerCustomer(num(v))}
              error={bad('perCustomerLimit', 'rewards.e.count')}
            />
            <TextInput
              type="date"
              label={intl.formatMessage({ id: 'rewards.f.from' })}
              description={intl.formatMessage({ id: 'rewards.f.optional' })}
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              error={bad('startsAt', 'rewards.e.date')}
            />
            <TextInput
              type="date"
              label={intl.formatMessage({ id: 'rewards.f.until' })}
              description={intl.formatMessage({ id: 'rewards.f.optional' })}
              value={until}
              onChange={(e) => setUntil(e.currentTarget.value)}
              error={bad('endsAt', 'rewards.e.until')}
            />
            <Select
              label={intl.formatMessage({ id: 'rewards.f.minTier' })}
              description={
                tiers.data?.length === 0
                  ? intl.formatMessage({ id: 'rewards.f.noTiers' })
                  : intl.formatMessage({ id: 'rewards.f.optional' })
              }
              placeholder={intl.formatMessage({ id: 'rewards.f.anyTier' })}
              data={(tiers.data ?? []).map((t) => ({ value: t.id, label: tierName(t) }))}
              value={minTier}
              onChange={setMinTier}
              clearable
              disabled={!tiers.data || tiers.data.length === 0}
              error={bad('minTier', 'rewards.e.minTier')}
            />
          </SimpleGrid>
        </Fieldset>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            <FormattedMessage id="rewards.cancel" />
          </Button>
          <Button type="submit" loading={save.isPending}>
            <FormattedMessage id={reward ? 'rewards.save' : 'rewards.create'} />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
