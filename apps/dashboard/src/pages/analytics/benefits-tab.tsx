import { useState } from 'react';
import {
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useShop } from '../../layout/shop-context.ts';
import { MoneyInput } from '../../ui/money-input.tsx';
import { Empty, Loaded } from '../../ui/states.tsx';
import {
  loadBenefits,
  loadSegments,
  type BenefitVariant,
  type Difference,
  type Range,
} from './analytics-data.ts';
import type { Fmt } from './figure-format.ts';
import { FigureTable, type Column } from './figure-table.tsx';
import { useT } from './use-t.ts';

const WINDOWS = [30, 60, 90, 180] as const;

interface Settings {
  days: number;
  margin: number | undefined;
  category: string;
  segment: string;
  costs: Record<string, number | undefined>;
}

/**
 * Which after-purchase benefit pays: per flow and variant, the benefit's cost and uptake, the
 * next order (rate, days, value) and the net margin per customer, each against the holdout.
 * The merchant enters the margin % and what a gift costs; the server does the arithmetic.
 */
export function BenefitsTab({ range, fmt }: { range: Range; fmt: Fmt }) {
  const t = useT();
  const { shop } = useShop();
  const [draft, setDraft] = useState<Settings>({
    days: 90,
    margin: 40,
    category: '',
    segment: '',
    costs: {},
  });
  const [applied, setApplied] = useState<Settings>(draft);
  const costs = Object.entries(applied.costs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}:${v}`)
    .join(',');
  const query = useQuery({
    queryKey: ['analytics', 'benefits', range, applied],
    queryFn: () =>
      loadBenefits(range, {
        days: applied.days,
        margin: applied.margin,
        costs,
        category: applied.category,
        segment: applied.segment,
      }),
    placeholderData: keepPreviousData,
  });
  const segments = useQuery({ queryKey: ['analytics', 'segments'], queryFn: loadSegments });
  const variants = [
    ...new Set(
      (query.data?.flows ?? [])
        .flatMap((f) => f.variants.map((v) => v.variant))
        .filter((v) => v !== 'holdout'),
    ),
  ];
  return (
    <Stack gap="md">
      <Text size="sm">{t('analytics.benefits.intro')}</Text>
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(draft);
          }}
        >
          <Group align="flex-end" gap="md">
            <Select
              label={t('analytics.benefits.window')}
              data={WINDOWS.map((d) => ({
                value: String(d),
                label: t('analytics.repeat.days', { days: d }),
              }))}
              value={String(draft.days)}
              onChange={(v) => v && setDraft({ ...draft, days: Number(v) })}
              allowDeselect={false}
              w={160}
            />
            <NumberInput
              label={t('analytics.benefits.margin')}
              value={draft.margin ?? ''}
              onChange={(v) => setDraft({ ...draft, margin: v === '' ? undefined : Number(v) })}
              min={0}
              max={100}
              suffix=" %"
              w={160}
            />
            <TextInput
              label={t('analytics.benefits.category')}
              value={draft.category}
              onChange={(e) => setDraft({ ...draft, category: e.currentTarget.value })}
              w={200}
            />
            <Select
              label={t('analytics.benefits.segment')}
              placeholder={t('analytics.benefits.allCustomers')}
              data={(segments.data?.data ?? []).map((sg) => ({ value: sg.id, label: sg.name }))}
              value={draft.segment || null}
              onChange={(v) => setDraft({ ...draft, segment: v ?? '' })}
              clearable
              w={220}
            />
            {variants.map((v) => (
              <MoneyInput
                key={v}
                label={t('analytics.benefits.costOf', { variant: v })}
                currency={shop?.currency ?? 'PLN'}
                value={draft.costs[v]}
                onChange={(minor) => setDraft({ ...draft, costs: { ...draft.costs, [v]: minor } })}
                w={180}
              />
            ))}
            <Button type="submit" data-testid="benefits-apply">
              {t('analytics.benefits.apply')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt="xs">
            {t('analytics.benefits.costNote')}
          </Text>
        </form>
      </Paper>
      <Loaded query={query}>
        {(report) =>
          report.flows.length === 0 ? (
            <Empty>{t('analytics.benefits.empty')}</Empty>
          ) : (
            <Stack gap="xl">
              {report.flows.map((flow) => (
                <FlowBenefits
                  key={flow.flowId}
                  name={flow.name}
                  flowId={flow.flowId}
                  variants={flow.variants}
                  days={report.days}
                  fmt={fmt}
                />
              ))}
            </Stack>
          )
        }
      </Loaded>
    </Stack>
  );
}

function FlowBenefits({
  name,
  flowId,
  variants,
  days,
  fmt,
}: {
  name: string;
  flowId: string;
  variants: BenefitVariant[];
  days: number;
  fmt: Fmt;
}) {
  const t = useT();
  const share = (x: number | null) => (x === null ? '—' : fmt.percent(x));
  const money = (x: number | null) => (x === null ? '—' : fmt.money(x));
  const vsShare = (d: Difference | null | undefined) =>
    d
      ? t('analytics.benefits.vsShare', {
          d: fmt.pp(d.difference),
          low: fmt.pp(d.ci95[0]),
          high: fmt.pp(d.ci95[1]),
        })
      : '';
  const vsMoney = (d: Difference | null | undefined) =>
    d
      ? t('analytics.benefits.vsMoney', {
          d: fmt.signedMoney(d.difference),
          low: fmt.signedMoney(d.ci95[0]),
          high: fmt.signedMoney(d.ci95[1]),
        })
      : '';
  const withVs = (main: string, vs: string) => (
    <>
      {main}
      {vs && (
        <Text size="xs" c="dimmed">
          {vs}
        </Text>
      )}
    </>
  );
  const win = { days };
  const columns: Column<BenefitVariant>[] = [
    {
      key: 'variant',
      label: t('analytics.benefits.variant'),
      hint: t('analytics.benefits.variantHint'),
      value: (v) => v.variant,
      show: (v) => (v.variant === 'holdout' ? t('analytics.benefits.holdout') : v.variant),
      rowHeader: true,
    },
    {
      key: 'benefit',
      label: t('analytics.benefits.benefit'),
      hint: t('analytics.benefits.benefitHint'),
      value: (v) => v.benefit,
      show: (v) =>
        v.benefit
          ? v.benefit
              .split(', ')
              .map((b) => t(`analytics.benefits.kind.${b}`))
              .join(', ')
          : '—',
    },
    {
      key: 'runs',
      label: t('analytics.benefits.runs'),
      hint: t('analytics.benefits.runsHint'),
      value: (v) => v.runs,
      show: (v) => fmt.number(v.runs),
    },
    {
      key: 'uptake',
      label: t('analytics.benefits.uptake'),
      hint: t('analytics.benefits.uptakeHint'),
      value: (v) => v.uptake,
      show: (v) => share(v.uptake),
    },
    {
      key: 'unitCost',
      label: t('analytics.benefits.unitCost'),
      hint: t('analytics.benefits.unitCostHint'),
      value: (v) => (v.unitCost === null ? null : v.unitCost / 100),
      show: (v) => money(v.unitCost),
    },
    {
      key: 'rate',
      label: t('analytics.benefits.rate'),
      hint: t('analytics.benefits.rateHint', win),
      value: (v) => v.secondPurchaseRate,
      show: (v) =>
        withVs(share(v.secondPurchaseRate), vsShare(v.againstHoldout?.secondPurchaseRate)),
    },
    {
      key: 'days',
      label: t('analytics.benefits.medianDays'),
      hint: t('analytics.benefits.medianDaysHint', win),
      value: (v) => v.medianDaysToSecondOrder,
      show: (v) =>
        v.medianDaysToSecondOrder === null ? '—' : fmt.decimal(v.medianDaysToSecondOrder),
    },
    {
      key: 'aov',
      label: t('analytics.benefits.aov'),
      hint: t('analytics.benefits.aovHint', win),
      value: (v) => (v.aov === null ? null : v.aov / 100),
      show: (v) => withVs(money(v.aov), vsMoney(v.againstHoldout?.aov)),
    },
    {
      key: 'margin',
      label: t('analytics.benefits.netMargin'),
      hint: t('analytics.benefits.netMarginHint', win),
      value: (v) => (v.netMarginPerCustomer === null ? null : v.netMarginPerCustomer / 100),
      show: (v) =>
        withVs(money(v.netMarginPerCustomer), vsMoney(v.againstHoldout?.netMarginPerCustomer)),
    },
  ];
  return (
    <Stack gap="xs" data-testid={`benefits-${flowId}`}>
      <Title order={2} size="h4">
        {name}
      </Title>
      {variants
        .filter(
          (v) => v.againstHoldout?.netMarginPerCustomer || v.againstHoldout?.secondPurchaseRate,
        )
        .map((v) => (
          <Text size="sm" key={v.variant}>
            {verdict(v, fmt, t)}
          </Text>
        ))}
      <FigureTable
        title={t('analytics.benefits.table')}
        rows={variants}
        rowKey={(v) => v.variant}
        columns={columns}
        csvName={`benefits-${flowId}`}
        testId={`benefits-table-${flowId}`}
      />
    </Stack>
  );
}

/** "Variant coupon: +50 pp second purchases (95% interval −10 to +110 pp); net margin +28,75 zł per customer …" */
function verdict(v: BenefitVariant, fmt: Fmt, t: ReturnType<typeof useT>): string {
  const rate = v.againstHoldout?.secondPurchaseRate;
  const margin = v.againstHoldout?.netMarginPerCustomer;
  const parts = [t('analytics.benefits.verdictVariant', { variant: v.variant })];
  if (rate)
    parts.push(
      t('analytics.benefits.verdictRate', {
        d: fmt.pp(rate.difference),
        low: fmt.pp(rate.ci95[0]),
        high: fmt.pp(rate.ci95[1]),
      }),
    );
  if (margin)
    parts.push(
      t(
        margin.ci95[0] > 0
          ? 'analytics.benefits.verdictPays'
          : margin.ci95[1] < 0
            ? 'analytics.benefits.verdictLoses'
            : 'analytics.benefits.verdictUnsure',
        {
          d: fmt.signedMoney(margin.difference),
          low: fmt.signedMoney(margin.ci95[0]),
          high: fmt.signedMoney(margin.ci95[1]),
        },
      ),
    );
  return parts.join(' ');
}
