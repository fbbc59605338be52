import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { Empty, Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { StaffSection } from './staff-section.tsx';
import {
  DISCOUNT_KINDS,
  EARN_BY,
  loadProgrammes,
  loadRewards,
  STAFF_MANAGERS,
  STAMP_EDITORS,
  type DiscountKind,
  type EarnBy,
  type StampProgramme,
} from './stamps-data.ts';

type Num = number | string;

/** Minor units per major unit of the shop's currency (100 for złoty). */
export function minorScale(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  return 10 ** (digits ?? 2);
}

/** Stamp card programmes (list, create, edit) and, for owners and admins, the staff devices. */
export function StampCardsPage() {
  const { membership } = useShop();
  const canEdit = STAMP_EDITORS.includes(membership.role);
  const canManageStaff = STAFF_MANAGERS.includes(membership.role);
  const programmes = useQuery({
    queryKey: ['stamp-cards', membership.id],
    queryFn: loadProgrammes,
  });
  // null: the form is closed; 'new': creating; else the programme being edited.
  const [editing, setEditing] = useState<StampProgramme | 'new' | null>(null);
  const [done, setDone] = useState<{ id: string; name: string } | null>(null);

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        <FormattedMessage id="stamps.title" />
      </Title>
      <section aria-labelledby="stamps-programmes-title">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="stamps-programmes-title">
            <FormattedMessage id="stamps.programmes" />
          </Title>
          {canEdit && editing === null && (
            <Button
              onClick={() => {
                setDone(null);
                setEditing('new');
              }}
            >
              <FormattedMessage id="stamps.new" />
            </Button>
          )}
        </Group>
        {!canEdit && (
          <Text size="sm" c="dimmed" mb="xs">
            <FormattedMessage id="stamps.readOnly" />
          </Text>
        )}
        {done && (
          <Alert color="green" role="status" mb="xs">
            <FormattedMessage id={done.id} values={{ name: done.name }} />
          </Alert>
        )}
        {programmes.isPending ? (
          <Loading />
        ) : programmes.error ? (
          <Failure error={programmes.error} onRetry={() => void programmes.refetch()} />
        ) : programmes.data.length === 0 ? (
          <Empty>
            <FormattedMessage id="stamps.empty" />
          </Empty>
        ) : (
          <ProgrammeTable
            programmes={programmes.data}
            onEdit={
              canEdit
                ? (p) => {
                    setDone(null);
                    setEditing(p);
                  }
                : undefined
            }
          />
        )}
      </section>
      {canEdit && editing !== null && (
        <ProgrammeForm
          key={editing === 'new' ? 'new' : editing.id}
          programme={editing === 'new' ? null : editing}
          onClose={(result) => {
            setEditing(null);
            setDone(result);
          }}
        />
      )}
      {canManageStaff && <StaffSection />}
    </Stack>
  );
}

function useRewardText() {
  const intl = useIntl();
  const { locale } = useLocale();
  const { membership, shop } = useShop();
  const fmt = useShopFormat(shop);
  const rewards = useQuery({
    queryKey: ['rewards', membership.id],
    queryFn: loadRewards,
  });
  return (p: StampProgramme) => {
    const r = p.reward;
    if (r.type === 'reward') {
      const name = rewards.data?.find((x) => x.id === r.rewardId)?.name ?? r.rewardId;
      return intl.formatMessage({ id: 'stamps.reward.catalogue' }, { name });
    }
    const d = r.discount;
    const what =
      d.kind === 'fixed'
        ? intl.formatMessage({ id: 'stamps.reward.fixed' }, { amount: fmt.money(d.amount ?? 0) })
        : d.kind === 'percentage'
          ? d.cap
            ? intl.formatMessage(
                { id: 'stamps.reward.percentageCap' },
                { percent: fmt.number(d.percent ?? 0), cap: fmt.money(d.cap) },
              )
            : intl.formatMessage(
                { id: 'stamps.reward.percentage' },
                { percent: fmt.number(d.percent ?? 0) },
              )
          : d.kind === 'free_product'
            ? intl.formatMessage(
                { id: 'stamps.reward.free_product' },
                { productId: d.productId ?? '' },
              )
            : intl.formatMessage({ id: 'stamps.reward.free_shipping' });
    const name = r.name?.[locale];
    return name ? `${name} (${what})` : what;
  };
}

function ProgrammeTable({
  programmes,
  onEdit,
}: {
  programmes: StampProgramme[];
  onEdit: ((p: StampProgramme) => void) | undefined;
}) {
  const intl = useIntl();
  const { locale } = useLocale();
  const rewardText = useRewardText();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped data-testid="stamp-programmes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">
              <FormattedMessage id="stamps.col.name" />
            </Table.Th>
            <Table.Th scope="col">
              <FormattedMessage id="stamps.col.earnBy" />
            </Table.Th>
            <Table.Th scope="col">
              <FormattedMessage id="stamps.col.required" />
            </Table.Th>
            <Table.Th scope="col">
              <FormattedMessage id="stamps.col.reward" />
            </Table.Th>
            <Table.Th scope="col">
              <FormattedMessage id="stamps.col.limit" />
            </Table.Th>
            <Table.Th scope="col">
              <FormattedMessage id="stamps.col.status" />
            </Table.Th>
            {onEdit && <Table.Th scope="col" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {programmes.map((p) => (
            <Table.Tr key={p.id} data-programme={p.id}>
              <Table.Th scope="row">{p.names[locale]}</Table.Th>
              <Table.Td>
                <FormattedMessage id={`stamps.earnBy.${p.earnBy}`} />
              </Table.Td>
              <Table.Td>
                <FormattedMessage id="stamps.count" values={{ count: p.stampsRequired }} />
              </Table.Td>
              <Table.Td>{rewardText(p)}</Table.Td>
              <Table.Td>
                {p.dailyLimit === null ? (
                  <FormattedMessage id="stamps.noLimit" />
                ) : (
                  <FormattedMessage id="stamps.perDay" values={{ count: p.dailyLimit }} />
                )}
              </Table.Td>
              <Table.Td>
                <Badge color={p.active ? 'teal.9' : 'gray.7'} variant="filled" miw="max-content">
                  <FormattedMessage id={p.active ? 'stamps.active' : 'stamps.inactive'} />
                </Badge>
              </Table.Td>
              {onEdit && (
                <Table.Td>
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => onEdit(p)}
                    aria-label={intl.formatMessage(
                      { id: 'stamps.editNamed' },
                      { name: p.names[locale] },
                    )}
                  >
                    <FormattedMessage id="stamps.edit" />
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

interface FormState {
  namePl: string;
  nameEn: string;
  stampsRequired: Num;
  earnBy: EarnBy;
  productIds: string;
  categoryIds: string;
  minOrder: Num;
  dailyLimit: Num;
  rewardType: 'coupon' | 'reward';
  rewardNamePl: string;
  rewardNameEn: string;
  discountKind: DiscountKind;
  amount: Num;
  percent: Num;
  cap: Num;
  productId: string;
  minBasket: Num;
  validDays: Num;
  rewardId: string | null;
  active: boolean;
}

function toForm(p: StampProgramme | null, scale: number): FormState {
  const money = (v: number | null | undefined) => (v == null ? '' : v / scale);
  const r = p?.reward;
  const coupon = r?.type === 'coupon' ? r : null;
  return {
    namePl: p?.names.pl ?? '',
    nameEn: p?.names.en ?? '',
    stampsRequired: p?.stampsRequired ?? 10,
    earnBy: p?.earnBy ?? 'visit',
    productIds: p?.productIds.join(', ') ?? '',
    categoryIds: p?.categoryIds.join(', ') ?? '',
    minOrder: money(p?.minOrder),
    dailyLimit: p?.dailyLimit ?? '',
    rewardType: r?.type ?? 'coupon',
    rewardNamePl: coupon?.name?.pl ?? '',
    rewardNameEn: coupon?.name?.en ?? '',
    discountKind: coupon?.discount.kind ?? 'free_product',
    amount: money(coupon?.discount.amount),
    percent: coupon?.discount.percent ?? '',
    cap: money(coupon?.discount.cap),
    productId: coupon?.discount.productId ?? '',
    minBasket: money(coupon?.minBasket),
    validDays: coupon?.validDays ?? 30,
    rewardId: r?.type === 'reward' ? r.rewardId : null,
    active: p?.active ?? true,
  };
}

const num = (v: Num): number | undefined =>
  v === '' || Number.isNaN(Number(v)) ? undefined : Number(v);
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function toBody(f: FormState, scale: number) {
  const minor = (v: Num) => {
    const n = num(v);
    return n === undefined ? undefined : Math.round(n * scale);
  };
  const byOrder = f.earnBy !== 'visit';
  const discount =
    f.discountKind === 'fixed'
      ? { kind: 'fixed', amount: minor(f.amount) }
      : f.discountKind === 'percentage'
        ? { kind: 'percentage', percent: num(f.percent), cap: minor(f.cap) }
        : f.discountKind === 'free_product'
          ? { kind: 'free_product', productId: f.productId.trim() }
          : { kind: 'free_shipping' };
  const rewardName =
    f.rewardNamePl.trim() || f.rewardNameEn.trim()
      ? { pl: f.rewardNamePl.trim(), en: f.rewardNameEn.trim() }
      : undefined;
  return {
    name: { pl: f.namePl.trim(), en: f.nameEn.trim() },
    stampsRequired: num(f.stampsRequired),
    earnBy: f.earnBy,
    productIds: f.earnBy === 'product' ? list(f.productIds) : [],
    categoryIds: f.earnBy === 'product' ? list(f.categoryIds) : [],
    ...(byOrder && minor(f.minOrder) !== undefined ? { minOrder: minor(f.minOrder) } : {}),
    dailyLimit: num(f.dailyLimit) ?? null,
    reward:
      f.rewardType === 'reward'
        ? { type: 'reward', rewardId: f.rewardId ?? '' }
        : {
            type: 'coupon',
            ...(rewardName ? { name: rewardName } : {}),
            discount,
            ...(minor(f.minBasket) !== undefined ? { minBasket: minor(f.minBasket) } : {}),
            validDays: num(f.validDays),
          },
    active: f.active,
  };
}

function ProgrammeForm({
  programme,
  onClose,
}: {
  programme: StampProgramme | null;
  onClose: (result: { id: string; name: string } | null) => void;
}) {
  const intl = useIntl();
  const { locale } = useLocale();
  const { membership, shop } = useShop();
  const currency = shop?.currency ?? 'PLN';
  const scale = minorScale(currency);
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const [form, setForm] = useState(() => toForm(programme, scale));
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const rewards = useQuery({
    queryKey: ['rewards', membership.id],
    queryFn: loadRewards,
    enabled: form.rewardType === 'reward',
  });
  const save = useMutation({
    mutationFn: () =>
      programme
        ? api<StampProgramme>('PUT', `/v1/stamp-cards/${programme.id}`, {
            body: toBody(form, scale),
          })
        : api<StampProgramme>('POST', '/v1/stamp-cards', { body: toBody(form, scale) }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['stamp-cards'] });
      onClose({
        id: programme ? 'stamps.form.saved' : 'stamps.form.created',
        name: saved.names[locale],
      });
    },
  });
  const error = save.error instanceof ApiError ? save.error : null;
  const at = (path: string) => error?.fieldError(path);
  const under = (prefix: string) => error?.errors.find((e) => e.path.startsWith(prefix))?.message;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const moneyProps = { min: 0, decimalScale: Math.log10(scale), thousandSeparator: ' ' };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="stamp-form-title">
      <Title order={2} size="h4" id="stamp-form-title" mb="sm">
        {programme ? (
          <FormattedMessage id="stamps.form.editTitle" values={{ name: programme.names[locale] }} />
        ) : (
          <FormattedMessage id="stamps.form.createTitle" />
        )}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {error?.status === 403 && <Forbidden />}
          {error && error.status !== 403 && error.errors.length === 0 && (
            <Alert color="red" role="alert">
              {problemText(error)}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={intl.formatMessage({ id: 'stamps.form.namePl' })}
              required
              value={form.namePl}
              onChange={(e) => set({ namePl: e.currentTarget.value })}
              error={at('name.pl') ?? at('name')}
            />
            <TextInput
              label={intl.formatMessage({ id: 'stamps.form.nameEn' })}
              required
              value={form.nameEn}
              onChange={(e) => set({ nameEn: e.currentTarget.value })}
              error={at('name.en') ?? at('name')}
            />
            <NumberInput
              label={intl.formatMessage({ id: 'stamps.form.required' })}
              required
              value={form.stampsRequired}
              onChange={(v) => set({ stampsRequired: v })}
              min={1}
              max={1000}
              allowDecimal={false}
              error={at('stampsRequired')}
            />
            <Select
              label={intl.formatMessage({ id: 'stamps.form.earnBy' })}
              data={EARN_BY.map((e) => ({
                value: e,
                label: intl.formatMessage({ id: `stamps.earnBy.${e}` }),
              }))}
              value={form.earnBy}
              onChange={(v) => v && set({ earnBy: v as EarnBy })}
              allowDeselect={false}
              error={at('earnBy')}
            />
            {form.earnBy === 'product' && (
              <>
                <TextInput
                  label={intl.formatMessage({ id: 'stamps.form.productIds' })}
                  value={form.productIds}
                  onChange={(e) => set({ productIds: e.currentTarget.value })}
                  error={under('productIds')}
                />
                <TextInput
                  label={intl.formatMessage({ id: 'stamps.form.categoryIds' })}
                  value={form.categoryIds}
                  onChange={(e) => set({ categoryIds: e.currentTarget.value })}
                  error={under('categoryIds')}
                />
              </>
            )}
            {form.earnBy !== 'visit' && (
              <NumberInput
                label={intl.formatMessage({ id: 'stamps.form.minOrder' }, { currency })}
                description={intl.formatMessage({ id: 'stamps.form.minOrderHint' })}
                value={form.minOrder}
                onChange={(v) => set({ minOrder: v })}
                {...moneyProps}
                error={at('minOrder')}
              />
            )}
            <NumberInput
              label={intl.formatMessage({ id: 'stamps.form.dailyLimit' })}
              description={intl.formatMessage({ id: 'stamps.form.dailyLimitHint' })}
              value={form.dailyLimit}
              onChange={(v) => set({ dailyLimit: v })}
              min={1}
              max={1000}
              allowDecimal={false}
              error={at('dailyLimit')}
            />
            <Select
              label={intl.formatMessage({ id: 'stamps.form.rewardType' })}
              data={(['coupon', 'reward'] as const).map((t) => ({
                value: t,
                label: intl.formatMessage({ id: `stamps.form.rewardType.${t}` }),
              }))}
              value={form.rewardType}
              onChange={(v) => v && set({ rewardType: v as FormState['rewardType'] })}
              allowDeselect={false}
              error={at('reward.type')}
            />
          </SimpleGrid>
          {form.rewardType === 'reward' ? (
            <Select
              label={intl.formatMessage({ id: 'stamps.form.catalogueReward' })}
              data={(rewards.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
              value={form.rewardId}
              onChange={(v) => set({ rewardId: v })}
              error={at('reward.rewardId')}
              searchable
            />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={intl.formatMessage({ id: 'stamps.form.rewardNamePl' })}
                description={intl.formatMessage({ id: 'stamps.form.rewardNameHint' })}
                value={form.rewardNamePl}
                onChange={(e) => set({ rewardNamePl: e.currentTarget.value })}
                error={at('reward.name.pl') ?? at('reward.name')}
              />
              <TextInput
                label={intl.formatMessage({ id: 'stamps.form.rewardNameEn' })}
                value={form.rewardNameEn}
                onChange={(e) => set({ rewardNameEn: e.currentTarget.value })}
                error={at('reward.name.en') ?? at('reward.name')}
              />
              <Select
                label={intl.formatMessage({ id: 'stamps.form.discount' })}
                data={DISCOUNT_KINDS.map((k) => ({
                  value: k,
                  label: intl.formatMessage({ id: `stamps.form.discount.${k}` }),
                }))}
                value={form.discountKind}
                onChange={(v) => v && set({ discountKind: v as DiscountKind })}
                allowDeselect={false}
                error={at('reward.discount.kind')}
              />
              {form.discountKind === 'fixed' && (
                <NumberInput
                  label={intl.formatMessage({ id: 'stamps.form.amount' }, { currency })}
                  required
                  value={form.amount}
                  onChange={(v) => set({ amount: v })}
                  {...moneyProps}
                  error={at('reward.discount.amount')}
                />
              )}
              {form.discountKind === 'percentage' && (
                <>
                  <NumberInput
                    label={intl.formatMessage({ id: 'stamps.form.percent' })}
                    required
                    value={form.percent}
                    onChange={(v) => set({ percent: v })}
                    min={0.01}
                    max={100}
                    decimalScale={2}
                    error={at('reward.discount.percent')}
                  />
                  <NumberInput
                    label={intl.formatMessage({ id: 'stamps.form.cap' }, { currency })}
                    value={form.cap}
                    onChange={(v) => set({ cap: v })}
                    {...moneyProps}
                    error={at('reward.discount.cap')}
                  />
                </>
              )}
              {form.discountKind === 'free_product' && (
                <TextInput
                  label={intl.formatMessage({ id: 'stamps.form.productId' })}
                  required
                  value={form.productId}
                  onChange={(e) => set({ productId: e.currentTarget.value })}
                  error={at('reward.discount.productId')}
                />
              )}
              <NumberInput
                label={intl.formatMessage({ id: 'stamps.form.minBasket' }, { currency })}
                value={form.minBasket}
                onChange={(v) => set({ minBasket: v })}
                {...moneyProps}
                error={at('reward.minBasket')}
              />
              <NumberInput
                label={intl.formatMessage({ id: 'stamps.form.validDays' })}
                value={form.validDays}
                onChange={(v) => set({ validDays: v })}
                min={1}
                max={3650}
                allowDecimal={false}
                error={at('reward.validDays')}
              />
            </SimpleGrid>
          )}
          <Switch
            label={intl.formatMessage({ id: 'stamps.form.active' })}
            checked={form.active}
            onChange={(e) => set({ active: e.currentTarget.checked })}
          />
          <Group>
            <Button type="submit" loading={save.isPending}>
              <FormattedMessage id={programme ? 'stamps.form.save' : 'stamps.form.create'} />
            </Button>
            <Button variant="default" onClick={() => onClose(null)}>
              <FormattedMessage id="stamps.form.cancel" />
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
