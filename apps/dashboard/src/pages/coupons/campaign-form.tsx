import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { fieldProblem } from '../../ui/field-error.ts';
import { MoneyInput } from '../../ui/money-input.tsx';
import { endOfDay, startOfDay } from '../../ui/shop-time.ts';
import { Forbidden } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { useTiers } from '../rewards/rewards-data.ts';
import { idList, useCreateCampaign, useSegments, type Discount } from './coupons-data.ts';

const KINDS: Discount['kind'][] = ['fixed', 'percentage', 'free_shipping', 'free_product'];
const num = (v: number | string) => (v === '' || v === undefined ? undefined : Number(v));

/** A new campaign: its discount, window, limits, budget, products and audience. */
export function CampaignForm({ onDone }: { onDone: () => void }) {
  const intl = useIntl();
  const navigate = useNavigate();
  const { locale } = useLocale();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const currency = shop?.currency ?? 'PLN';
  const create = useCreateCampaign();
  const segments = useSegments();
  const tiers = useTiers();
  const problemText = useProblemText();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Discount['kind']>('percentage');
  const [amount, setAmount] = useState<number | undefined>();
  const [percent, setPercent] = useState<number | undefined>();
  const [cap, setCap] = useState<number | undefined>();
  const [productId, setProductId] = useState('');
  const [sharedCode, setSharedCode] = useState('');
  const [minBasket, setMinBasket] = useState<number | undefined>();
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [usesPerCode, setUsesPerCode] = useState<number | undefined>();
  const [usesPerCustomer, setUsesPerCustomer] = useState<number | undefined>();
  const [budget, setBudget] = useState<number | undefined>();
  const [productIds, setProductIds] = useState('');
  const [categoryIds, setCategoryIds] = useState('');
  const [excludeProductIds, setExcludeProductIds] = useState('');
  const [excludeCategoryIds, setExcludeCategoryIds] = useState('');
  const [firstOrderOnly, setFirstOrderOnly] = useState(false);
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const [minTier, setMinTier] = useState<string | null>(null);
  const [stackable, setStackable] = useState(false);
  const [returnUseOnCancel, setReturnUseOnCancel] = useState(true);

  const error = create.error;
  const bad = (path: string, id: string) =>
    fieldProblem(error, path) ? intl.formatMessage({ id }) : undefined;
  const otherError =
    error instanceof ApiError && error.status !== 403 && error.errors.length === 0 ? error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const discount =
      kind === 'fixed'
        ? { kind, amount, currency }
        : kind === 'percentage'
          ? { kind, percent, ...(cap !== undefined && { cap }) }
          : kind === 'free_product'
            ? { kind, productId: productId.trim() }
            : { kind };
    create.mutate(
      {
        name,
        discount,
        ...(sharedCode.trim() && { code: sharedCode.trim() }),
        ...(minBasket !== undefined && { minBasket }),
        ...(from && { startsAt: startOfDay(from, fmt.timezone) }),
        ...(until && { endsAt: endOfDay(until, fmt.timezone) }),
        ...(usesPerCode !== undefined && { usesPerCode }),
        ...(usesPerCustomer !== undefined && { usesPerCustomer }),
        ...(budget !== undefined && { budget }),
        productIds: idList(productIds),
        categoryIds: idList(categoryIds),
        excludeProductIds: idList(excludeProductIds),
        excludeCategoryIds: idList(excludeCategoryIds),
        firstOrderOnly,
        ...(segmentId && { segmentId }),
        ...(minTier && { minTier }),
        stackable,
        returnUseOnCancel,
      },
      {
        onSuccess: (campaign) => {
          onDone();
          void navigate({ to: '/coupons/$campaignId', params: { campaignId: campaign.id } });
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="campaign-form">
      <Stack gap="sm">
        {error instanceof ApiError && error.status === 403 && <Forbidden />}
        {otherError && (
          <Alert color="red" role="alert">
            {problemText(otherError)}
          </Alert>
        )}
        <TextInput
          label={intl.formatMessage({ id: 'coupons.f.name' })}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={bad('name', 'coupons.e.name')}
        />
        <Fieldset legend={intl.formatMessage({ id: 'coupons.f.discount' })}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={intl.formatMessage({ id: 'coupons.f.kind' })}
              data={KINDS.map((k) => ({
                value: k,
                label: intl.formatMessage({ id: `coupons.kind.${k}` }),
              }))}
              value={kind}
              onChange={(v) => v && setKind(v as Discount['kind'])}
              allowDeselect={false}
              error={bad('discount.kind', 'coupons.e.kind')}
            />
            {kind === 'fixed' && (
              <MoneyInput
                label={intl.formatMessage({ id: 'coupons.f.amount' })}
                required
                currency={currency}
                value={amount}
                onChange={setAmount}
                error={bad('discount.amount', 'coupons.e.amount')}
              />
            )}
            {kind === 'percentage' && (
              <NumberInput
                label={intl.formatMessage({ id: 'coupons.f.percent' })}
                required
                min={0.01}
                max={100}
                decimalScale={2}
                decimalSeparator={locale === 'pl' ? ',' : '.'}
                rightSection={<span aria-hidden="true">%</span>}
                value={percent ?? ''}
                onChange={(v) => setPercent(num(v))}
                error={bad('discount.percent', 'coupons.e.percent')}
              />
            )}
            {kind === 'percentage' && (
              <MoneyInput
                label={intl.formatMessage({ id: 'coupons.f.cap' })}
                description={intl.formatMessage({ id: 'coupons.f.optional' })}
                currency={currency}
                value={cap}
                onChange={setCap}
                error={bad('discount.cap', 'coupons.e.amount')}
              />
            )}
            {kind === 'free_product' && (
              <TextInput
                label={intl.formatMessage({ id: 'coupons.f.productId' })}
                required
                value={productId}
                onChange={(e) => setProductId(e.currentTarget.value)}
                error={bad('discount.productId', 'coupons.e.productId')}
              />
            )}
          </SimpleGrid>
        </Fieldset>
        <TextInput
          label={intl.formatMessage({ id: 'coupons.f.sharedCode' })}
          description={intl.formatMessage({ id: 'coupons.f.sharedCodeHint' })}
          value={sharedCode}
          onChange={(e) => setSharedCode(e.currentTarget.value)}
          error={bad('code', 'coupons.e.code')}
        />
        <Fieldset legend={intl.formatMessage({ id: 'coupons.f.terms' })}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              type="date"
              label={intl.formatMessage({ id: 'coupons.f.from' })}
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              error={bad('startsAt', 'coupons.e.date')}
            />
            <TextInput
              type="date"
              label={intl.formatMessage({ id: 'coupons.f.until' })}
              value={until}
              onChange={(e) => setUntil(e.currentTarget.value)}
              error={bad('endsAt', 'coupons.e.until')}
            />
            <MoneyInput
              label={intl.formatMessage({ id: 'coupons.f.minBasket' })}
              currency={currency}
              value={minBasket}
              onChange={setMinBasket}
              error={bad('minBasket', 'coupons.e.amountOrZero')}
            />
            <MoneyInput
              label={intl.formatMessage({ id: 'coupons.f.budget' })}
              description={intl.formatMessage({ id: 'coupons.f.budgetHint' })}
              currency={currency}
              value={budget}
              onChange={setBudget}
              error={bad('budget', 'coupons.e.amount')}
            />
            <NumberInput
              label={intl.formatMessage({ id: 'coupons.f.usesPerCode' })}
              description={intl.formatMessage({ id: 'coupons.f.usesPerCodeHint' })}
              min={1}
              allowDecimal={false}
              allowNegative={false}
              value={usesPerCode ?? ''}
              onChange={(v) => setUsesPerCode(num(v))}
              error={bad('usesPerCode', 'coupons.e.count')}
            />
            <NumberInput
              label={intl.formatMessage({ id: 'coupons.f.usesPerCustomer' })}
              description={intl.formatMessage({ id: 'coupons.f.unlimitedHint' })}
              min={1}
              allowDecimal={false}
              allowNegative={false}
              value={usesPerCustomer ?? ''}
              onChange={(v) => setUsesPerCustomer(num(v))}
              error={bad('usesPerCustomer', 'coupons.e.count')}
            />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend={intl.formatMessage({ id: 'coupons.f.products' })}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={intl.formatMessage({ id: 'coupons.f.productIds' })}
              description={intl.formatMessage({ id: 'coupons.f.idsHint' })}
              value={productIds}
              onChange={(e) => setProductIds(e.currentTarget.value)}
              error={bad('productIds', 'coupons.e.ids')}
            />
            <TextInput
              label={intl.formatMessage({ id: 'coupons.f.categoryIds' })}
              description={intl.formatMessage({ id: 'coupons.f.idsHint' })}
              value={categoryIds}
              onChange={(e) => setCategoryIds(e.currentTarget.value)}
              error={bad('categoryIds', 'coupons.e.ids')}
            />
            <TextInput
              label={intl.formatMessage({ id: 'coupons.f.excludeProductIds' })}
              description={intl.formatMessage({ id: 'coupons.f.idsHint' })}
              value={excludeProductIds}
              onChange={(e) => setExcludeProductIds(e.currentTarget.value)}
              error={bad('excludeProductIds', 'coupons.e.ids')}
            />
            <TextInput
              label={intl.formatMessage({ id: 'coupons.f.excludeCategoryIds' })}
              description={intl.formatMessage({ id: 'coupons.f.idsHint' })}
              value={excludeCategoryIds}
              onChange={(e) => setExcludeCategoryIds(e.currentTarget.value)}
              error={bad('excludeCategoryIds', 'coupons.e.ids')}
            />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend={intl.formatMessage({ id: 'coupons.f.audience' })}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={intl.formatMessage({ id: 'coupons.f.segment' })}
              placeholder={intl.formatMessage({ id: 'coupons.f.everyone' })}
              data={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              value={segmentId}
              onChange={setSegmentId}
              clearable
              searchable
              error={bad('segmentId', 'coupons.e.choice')}
            />
            <Select
              label={intl.formatMessage({ id: 'coupons.f.minTier' })}
              placeholder={intl.formatMessage({ id: 'coupons.f.everyone' })}
              description={
                tiers.data?.length === 0
                  ? intl.formatMessage({ id: 'coupons.f.noTiers' })
                  : undefined
              }
              data={(tiers.data ?? []).map((t) => ({
                value: t.id,
                label: locale === 'pl' ? t.name.pl : t.name.en,
              }))}
              value={minTier}
              onChange={setMinTier}
              clearable
              disabled={!tiers.data || tiers.data.length === 0}
              error={bad('minTier', 'coupons.e.choice')}
            />
          </SimpleGrid>
          <Stack gap="xs" mt="sm">
            <Checkbox
              label={intl.formatMessage({ id: 'coupons.f.firstOrderOnly' })}
              checked={firstOrderOnly}
              onChange={(e) => setFirstOrderOnly(e.currentTarget.checked)}
            />
            <Checkbox
              label={intl.formatMessage({ id: 'coupons.f.stackable' })}
              checked={stackable}
              onChange={(e) => setStackable(e.currentTarget.checked)}
            />
            <Checkbox
              label={intl.formatMessage({ id: 'coupons.f.returnUseOnCancel' })}
              checked={returnUseOnCancel}
              onChange={(e) => setReturnUseOnCancel(e.currentTarget.checked)}
            />
          </Stack>
        </Fieldset>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            <FormattedMessage id="coupons.cancel" />
          </Button>
          <Button type="submit" loading={create.isPending}>
            <FormattedMessage id="coupons.create" />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
