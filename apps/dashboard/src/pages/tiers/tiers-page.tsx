import { useMemo, useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Fieldset,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { Empty, Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import {
  loadMembers,
  loadProgramme,
  METRICS,
  PERIODS,
  previewProgramme,
  saveProgramme,
  STARTER,
  TIER_EDITORS,
  type TierMembers,
  type TierMetric,
  type TierPreview,
  type TierProgramme,
} from './tiers-data.ts';

type Num = number | string;
interface TierDraft {
  key: number;
  id: string;
  namePl: string;
  nameEn: string;
  entry: Num;
  retain: Num;
  pointsMultiplier: Num;
  birthdayMultiplier: Num;
  perks: string;
  perkDetails: TierProgramme['tiers'][number]['benefits']['perks'];
}
interface Draft {
  metric: TierMetric;
  period: TierProgramme['period'];
  graceDays: Num;
  atRiskDaysBefore: Num;
  tiers: TierDraft[];
}

let nextKey = 1;

/** Minor units per major unit of the shop's currency (100 for złoty). */
function minorScale(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  return 10 ** (digits ?? 2);
}

/** Spend thresholds are edited in złoty (major units); points and orders as they are. */
function scaleOf(metric: TierMetric, currency: string) {
  return metric === 'spend' ? minorScale(currency) : 1;
}

function toDraft(p: TierProgramme, scale: number): Draft {
  return {
    metric: p.metric,
    period: p.period,
    graceDays: p.graceDays,
    atRiskDaysBefore: p.atRiskDaysBefore,
    tiers: p.tiers.map((t) => ({
      key: nextKey++,
      id: t.id,
      namePl: t.name.pl,
      nameEn: t.name.en,
      entry: t.entryThreshold / scale,
      retain: t.retainThreshold === t.entryThreshold ? '' : t.retainThreshold / scale,
      pointsMultiplier: t.benefits.pointsMultiplier,
      birthdayMultiplier: t.benefits.birthdayMultiplier,
      perks: t.benefits.perks.map((p) => p.code).join(', '),
      perkDetails: t.benefits.perks,
    })),
  };
}

const num = (v: Num): number | undefined =>
  v === '' || v === undefined || Number.isNaN(Number(v)) ? undefined : Number(v);

/** The body of PUT /v1/tiers (and of the preview) from the form. */
function toBody(d: Draft, scale: number) {
  const units = (v: Num) => {
    const n = num(v);
    return n === undefined ? undefined : Math.round(n * scale);
  };
  return {
    metric: d.metric,
    period: d.period,
    graceDays: num(d.graceDays),
    atRiskDaysBefore: num(d.atRiskDaysBefore),
    tiers: d.tiers.map((t) => ({
      id: t.id.trim(),
      name: { pl: t.namePl, en: t.nameEn },
      entryThreshold: units(t.entry),
      ...(t.retain === '' ? {} : { retainThreshold: units(t.retain) }),
      benefits: {
        pointsMultiplier: num(t.pointsMultiplier) ?? 1,
        birthdayMultiplier: num(t.birthdayMultiplier) ?? 1,
        perks: t.perks
          .split(',')
          .map((code) => code.trim())
          .filter(Boolean)
          .map((code) => t.perkDetails.find((p) => p.code === code) ?? { code }),
      },
    })),
  };
}

/** The tiers: their thresholds and benefits, members per tier, and an editor with a preview. */
export function TiersPage() {
  const { membership, shop } = useShop();
  const canEdit = TIER_EDITORS.includes(membership.role);
  const programme = useQuery({
    queryKey: ['tiers', membership.id],
    queryFn: loadProgramme,
  });
  const members = useQuery({
    queryKey: ['tiers-members', membership.id],
    queryFn: loadMembers,
  });
  const [starting, setStarting] = useState(false);

  let body;
  if (programme.isPending || members.isPending || !shop) body = <Loading />;
  else if (programme.error)
    body = <Failure error={programme.error} onRetry={() => void programme.refetch()} />;
  else if (members.error)
    body = <Failure error={members.error} onRetry={() => void members.refetch()} />;
  else if (!programme.data && !starting)
    body = (
      <Empty>
        <Stack align="center" gap="sm">
          <FormattedMessage id={canEdit ? 'tiers.none' : 'tiers.noneReadOnly'} />
          {canEdit && (
            <Button onClick={() => setStarting(true)}>
              <FormattedMessage id="tiers.start" />
            </Button>
          )}
        </Stack>
      </Empty>
    );
  else
    body = (
      <>
        {programme.data && <MembersTable programme={programme.data} members={members.data} />}
        {canEdit && (
          <TierEditor
            key={membership.id}
            saved={programme.data ?? STARTER}
            currency={shop.currency}
          />
        )}
      </>
    );

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        <FormattedMessage id="tiers.title" />
      </Title>
      {body}
    </Stack>
  );
}

function useThreshold(metric: TierMetric) {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  return (value: number) =>
    metric === 'spend'
      ? fmt.money(value)
      : intl.formatMessage(
          { id: metric === 'orders' ? 'tiers.orders' : 'tiers.points' },
          { count: value },
        );
}

function MembersTable({ programme, members }: { programme: TierProgramme; members: TierMembers }) {
  const intl = useIntl();
  const { locale } = useLocale();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const threshold = useThreshold(programme.metric);
  const count = new Map(members.tiers.map((t) => [t.id, t]));
  return (
    <section aria-labelledby="tiers-members-title">
      <Text size="sm" mb="sm">
        <FormattedMessage
          id="tiers.intro"
          values={{
            metric: intl.formatMessage({ id: `tiers.metric.${programme.metric}` }),
            period: intl.formatMessage({ id: `tiers.period.${programme.period}` }),
          }}
        />
      </Text>
      <Group justify="space-between" align="baseline">
        <Title order={2} size="h4" id="tiers-members-title">
          <FormattedMessage id="tiers.members.title" />
        </Title>
        <Text size="sm" c="dimmed">
          <FormattedMessage id="tiers.members.customers" values={{ count: members.customers }} />
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={560}>
        <Table striped mt="xs" data-testid="tier-members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">
                <FormattedMessage id="tiers.col.tier" />
              </Table.Th>
              <Table.Th scope="col">
                <FormattedMessage id="tiers.col.entry" />
              </Table.Th>
              <Table.Th scope="col">
                <FormattedMessage id="tiers.col.retain" />
              </Table.Th>
              <Table.Th scope="col">
                <FormattedMessage id="tiers.col.benefits" />
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <FormattedMessage id="tiers.col.members" />
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {programme.tiers.map((tier) => {
              const held = count.get(tier.id);
              const b = tier.benefits;
              const benefits = [
                b.pointsMultiplier !== 1 &&
                  intl.formatMessage(
                    { id: 'tiers.benefit.points' },
                    { value: fmt.number(b.pointsMultiplier) },
                  ),
                b.birthdayMultiplier !== 1 &&
                  intl.formatMessage(
                    { id: 'tiers.benefit.birthday' },
                    { value: fmt.number(b.birthdayMultiplier) },
                  ),
                ...b.perks.map((p) => p.title?.[locale] ?? p.code),
              ].filter(Boolean);
              return (
                <Table.Tr key={tier.id} data-tier={tier.id}>
                  <Table.Th scope="row">{tier.name[locale]}</Table.Th>
                  <Table.Td>{threshold(tier.entryThreshold)}</Table.Td>
                  <Table.Td>{threshold(tier.retainThreshold)}</Table.Td>
                  <Table.Td>
                    {benefits.length ? (
                      benefits.join(', ')
                    ) : (
                      <FormattedMessage id="tiers.benefit.none" />
                    )}
                  </Table.Td>
                  <Table.Td ta="right" data-testid={`members-${tier.id}`}>
                    {fmt.number(held?.members ?? 0)}
                    {!!held?.manual && (
                      <Text span size="xs" c="dimmed">
                        {' ('}
                        <FormattedMessage id="tiers.manualCount" values={{ count: held.manual }} />
                        {')'}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
            <Table.Tr>
              <Table.Th scope="row">
                <FormattedMessage id="tiers.withoutTier" />
              </Table.Th>
              <Table.Td colSpan={3} />
              <Table.Td ta="right" data-testid="members-none">
                {fmt.number(members.withoutTier)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}

function TierEditor({ saved, currency }: { saved: TierProgramme; currency: string }) {
  const intl = useIntl();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const { membership } = useShop();
  const [draft, setDraft] = useState<Draft>(() => toDraft(saved, scaleOf(saved.metric, currency)));
  const scale = scaleOf(draft.metric, currency);
  const body = useMemo(() => toBody(draft, scale), [draft, scale]);
  const [debounced] = useDebouncedValue(JSON.stringify(body), 400);
  const preview = useQuery({
    queryKey: ['tiers-preview', membership.id, debounced],
    queryFn: () => previewProgramme(JSON.parse(debounced)),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const save = useMutation({
    mutationFn: () => saveProgramme(body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tiers-members'] });
      await queryClient.invalidateQueries({ queryKey: ['tiers', membership.id] });
    },
  });
  const saveError = save.error instanceof ApiError ? save.error : null;
  const previewError = preview.error instanceof ApiError ? preview.error : null;
  // Field errors: the save's when it failed, else the preview's (the same validation).
  const fieldSource = saveError?.errors.length ? saveError : previewError;
  const fieldError = (path: string) => fieldSource?.fieldError(path);

  const unit =
    draft.metric === 'spend'
      ? currency
      : intl.formatMessage({
          id: draft.metric === 'orders' ? 'tiers.unit.orders' : 'tiers.unit.points',
        });
  const setTier = (key: number, patch: Partial<TierDraft>) =>
    setDraft((d) => ({
      ...d,
      tiers: d.tiers.map((t) => (t.key === key ? { ...t, ...patch } : t)),
    }));
  const changeMetric = (metric: TierMetric) =>
    setDraft((d) => {
      // Thresholds keep their numbers in the minor units of the new measure.
      const ratio = scaleOf(d.metric, currency) / scaleOf(metric, currency);
      const rescale = (v: Num) => (num(v) === undefined ? v : Number(v) * ratio);
      return {
        ...d,
        metric,
        tiers: d.tiers.map((t) => ({ ...t, entry: rescale(t.entry), retain: rescale(t.retain) })),
      };
    });
  const addTier = () =>
    setDraft((d) => {
      const last = d.tiers[d.tiers.length - 1];
      const entry = (num(last?.entry ?? '') ?? 0) * 2 || 100;
      return {
        ...d,
        tiers: [
          ...d.tiers,
          {
            key: nextKey++,
            id: `tier_${d.tiers.length + 1}`,
            namePl: '',
            nameEn: '',
            entry,
            retain: '',
            pointsMultiplier: 1,
            birthdayMultiplier: 1,
            perks: '',
            perkDetails: [],
          },
        ],
      };
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="tiers-edit-title">
      <Title order={2} size="h4" id="tiers-edit-title" mb="sm">
        <FormattedMessage id="tiers.edit.title" />
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={intl.formatMessage({ id: 'tiers.edit.metric' })}
              data={METRICS.map((m) => ({
                value: m,
                label: intl.formatMessage({ id: `tiers.metric.${m}` }),
              }))}
              value={draft.metric}
              onChange={(v) => v && changeMetric(v as TierMetric)}
              allowDeselect={false}
              error={fieldError('metric')}
            />
            <Select
              label={intl.formatMessage({ id: 'tiers.edit.period' })}
              data={PERIODS.map((p) => ({
                value: p,
                label: intl.formatMessage({ id: `tiers.period.${p}` }),
              }))}
              value={draft.period}
              onChange={(v) => v && setDraft((d) => ({ ...d, period: v as Draft['period'] }))}
              allowDeselect={false}
              error={fieldError('period')}
            />
            <NumberInput
              label={intl.formatMessage({ id: 'tiers.edit.graceDays' })}
              value={draft.graceDays}
              onChange={(v) => setDraft((d) => ({ ...d, graceDays: v }))}
              min={0}
              max={365}
              allowDecimal={false}
              error={fieldError('graceDays')}
            />
            <NumberInput
              label={intl.formatMessage({ id: 'tiers.edit.atRiskDays' })}
              value={draft.atRiskDaysBefore}
              onChange={(v) => setDraft((d) => ({ ...d, atRiskDaysBefore: v }))}
              min={0}
              max={365}
              allowDecimal={false}
              error={fieldError('atRiskDaysBefore')}
            />
          </SimpleGrid>
          {draft.tiers.map((tier, i) => {
            const rank = i + 1;
            const at = (field: string) => fieldError(`tiers.${i}.${field}`);
            return (
              <Fieldset
                key={tier.key}
                legend={intl.formatMessage({ id: 'tiers.edit.tier' }, { rank })}
                data-testid={`tier-${rank}`}
              >
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextInput
                    label={intl.formatMessage({ id: 'tiers.edit.namePl' })}
                    value={tier.namePl}
                    onChange={(e) => setTier(tier.key, { namePl: e.currentTarget.value })}
                    error={at('name.pl')}
                  />
                  <TextInput
                    label={intl.formatMessage({ id: 'tiers.edit.nameEn' })}
                    value={tier.nameEn}
                    onChange={(e) => setTier(tier.key, { nameEn: e.currentTarget.value })}
                    error={at('name.en')}
                  />
                  <TextInput
                    label={intl.formatMessage({ id: 'tiers.edit.id' })}
                    description={intl.formatMessage({ id: 'tiers.edit.idHint' })}
                    value={tier.id}
                    onChange={(e) => setTier(tier.key, { id: e.currentTarget.value })}
                    error={at('id')}
                  />
                  <NumberInput
                    label={intl.formatMessage({ id: 'tiers.edit.entry' }, { unit })}
                    value={tier.entry}
                    onChange={(v) => setTier(tier.key, { entry: v })}
                    min={0}
                    decimalScale={draft.metric === 'spend' ? Math.log10(scale) : 0}
                    thousandSeparator=" "
                    error={at('entryThreshold')}
                  />
                  <NumberInput
                    label={intl.formatMessage({ id: 'tiers.edit.retain' }, { unit })}
                    description={intl.formatMessage({ id: 'tiers.edit.retainHint' })}
                    value={tier.retain}
                    onChange={(v) => setTier(tier.key, { retain: v })}
                    min={0}
                    decimalScale={draft.metric === 'spend' ? Math.log10(scale) : 0}
                    thousandSeparator=" "
                    error={at('retainThreshold')}
                  />
                  <TextInput
                    label={intl.formatMessage({ id: 'tiers.edit.perks' })}
                    description={intl.formatMessage({ id: 'tiers.edit.perksHint' })}
                    value={tier.perks}
                    onChange={(e) => setTier(tier.key, { perks: e.currentTarget.value })}
                    error={
                      fieldSource?.errors.find((e) =>
                        e.path.startsWith(`tiers.${i}.benefits.perks`),
                      )?.message
                    }
                  />
                  <NumberInput
                    label={intl.formatMessage({ id: 'tiers.edit.pointsMultiplier' })}
                    value={tier.pointsMultiplier}
                    onChange={(v) => setTier(tier.key, { pointsMultiplier: v })}
                    min={1}
                    max={10}
                    step={0.1}
                    decimalScale={2}
                    error={at('benefits.pointsMultiplier')}
                  />
                  <NumberInput
                    label={intl.formatMessage({ id: 'tiers.edit.birthdayMultiplier' })}
                    value={tier.birthdayMultiplier}
                    onChange={(v) => setTier(tier.key, { birthdayMultiplier: v })}
                    min={1}
                    max={10}
                    step={0.1}
                    decimalScale={2}
                    error={at('benefits.birthdayMultiplier')}
                  />
                  {draft.tiers.length > 1 && (
                    <Group align="flex-end">
                      <Button
                        variant="subtle"
                        color="red"
                        onClick={() =>
                          setDraft((d) => ({
                            ...d,
                            tiers: d.tiers.filter((t) => t.key !== tier.key),
                          }))
                        }
                      >
                        <FormattedMessage id="tiers.edit.remove" values={{ rank }} />
                      </Button>
                    </Group>
                  )}
                </SimpleGrid>
              </Fieldset>
            );
          })}
          <Group>
            <Button variant="light" onClick={addTier} disabled={draft.tiers.length >= 20}>
              <FormattedMessage id="tiers.edit.add" />
            </Button>
          </Group>
          <PreviewPanel
            preview={preview.data}
            pending={preview.isFetching || JSON.stringify(body) !== debounced}
            invalid={!!previewError && previewError.status === 400}
            error={previewError && previewError.status !== 400 ? previewError : null}
            draft={draft}
          />
          {saveError?.status === 403 && <Forbidden />}
          {saveError && saveError.status !== 403 && (
            <Alert color="red" role="alert">
              {problemText(saveError)}
            </Alert>
          )}
          {save.isSuccess && (
            <Alert color="green" role="status">
              <FormattedMessage id="tiers.edit.saved" />
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              <FormattedMessage id="tiers.edit.save" />
            </Button>
            <Button
              variant="default"
              onClick={() => {
                save.reset();
                setDraft(toDraft(saved, scaleOf(saved.metric, currency)));
              }}
            >
              <FormattedMessage id="tiers.edit.reset" />
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function PreviewPanel({
  preview,
  pending,
  invalid,
  error,
  draft,
}: {
  preview: TierPreview | undefined;
  pending: boolean;
  invalid: boolean;
  error: ApiError | null;
  draft: Draft;
}) {
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const { locale } = useLocale();
  return (
    <Paper
      bg="gray.0"
      p="md"
      radius="md"
      component="section"
      aria-labelledby="tiers-preview-title"
      aria-busy={pending}
    >
      <Title order={3} size="h5" id="tiers-preview-title" mb="xs">
        <FormattedMessage id="tiers.preview.title" />
      </Title>
      {error?.status === 403 ? (
        <Forbidden />
      ) : error ? (
        <Failure error={error} />
      ) : invalid ? (
        <Text size="sm" c="red.9">
          <FormattedMessage id="tiers.preview.invalid" />
        </Text>
      ) : !preview ? (
        <Text size="sm">
          <FormattedMessage id="tiers.preview.loading" />
        </Text>
      ) : (
        <Stack gap="xs" data-testid="tier-preview" data-pending={pending ? 'yes' : 'no'}>
          <Text fw={600} aria-live="polite" data-testid="tier-preview-summary">
            <FormattedMessage
              id="tiers.preview.summary"
              values={{ up: preview.movingUp, down: preview.movingDown }}
            />
          </Text>
          <Text size="sm">
            <FormattedMessage id="tiers.preview.explain" values={{ manual: preview.manual }} />
          </Text>
          <Table.ScrollContainer minWidth={300}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <FormattedMessage id="tiers.col.tier" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    <FormattedMessage id="tiers.preview.now" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    <FormattedMessage id="tiers.preview.after" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.tiers.map((t, i) => (
                  <Table.Tr key={t.id} data-testid={`preview-${t.id}`}>
                    <Table.Th scope="row">
                      {(locale === 'pl' ? draft.tiers[i]?.namePl : draft.tiers[i]?.nameEn) || t.id}
                    </Table.Th>
                    <Table.Td ta="right">{fmt.number(t.now)}</Table.Td>
                    <Table.Td ta="right" fw={t.after !== t.now ? 700 : undefined}>
                      {fmt.number(t.after)}
                    </Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr data-testid="preview-none">
                  <Table.Th scope="row">
                    <FormattedMessage id="tiers.withoutTier" />
                  </Table.Th>
                  <Table.Td ta="right">{fmt.number(preview.withoutTier.now)}</Table.Td>
                  <Table.Td ta="right">{fmt.number(preview.withoutTier.after)}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
    </Paper>
  );
}
