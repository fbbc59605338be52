import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Empty, Loaded } from '../../ui/states.tsx';
import {
  loadRepeat,
  loadRfm,
  loadSummary,
  type NewVsReturning,
  type Range,
  type Repeat,
  type Rfm,
} from './analytics-data.ts';
import { Chart } from './chart.tsx';
import type { Fmt } from './figure-format.ts';
import { Defined, FigureTable, type Column } from './figure-table.tsx';
import { useT } from './use-t.ts';

/** Repeat purchases: time to the second order, the repeat and retention curves, new vs returning revenue, and the RFM grid. */
export function RepeatTab({ range, fmt }: { range: Range; fmt: Fmt }) {
  const t = useT();
  const repeat = useQuery({
    queryKey: ['analytics', 'repeat', range],
    queryFn: () => loadRepeat(range),
  });
  const summary = useQuery({
    queryKey: ['analytics', 'summary', range],
    queryFn: () => loadSummary(range),
  });
  const rfm = useQuery({ queryKey: ['analytics', 'rfm'], queryFn: loadRfm });
  return (
    <Stack gap="xl">
      <Loaded query={repeat}>
        {(r) =>
          r.customers === 0 ? (
            <Empty>{t('analytics.repeat.empty')}</Empty>
          ) : (
            <RepeatFigures repeat={r} fmt={fmt} />
          )
        }
      </Loaded>
      <Loaded query={summary}>{(s) => <NewVsReturningFigures summary={s} fmt={fmt} />}</Loaded>
      <Loaded query={rfm}>{(g) => <RfmGrid rfm={g} fmt={fmt} />}</Loaded>
    </Stack>
  );
}

function lineOption(labels: string[], values: Array<number | null>, fmt: Fmt, bar = false) {
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (bar ? fmt.number(Number(v)) : fmt.percent(Number(v))),
    },
    grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: labels },
    yAxis: {
      type: 'value',
      ...(bar ? { minInterval: 1 } : { max: 1 }),
      axisLabel: { formatter: (v: number) => (bar ? fmt.number(v) : fmt.percent(v)) },
    },
    color: ['#0ca678'],
    series: [{ type: bar ? 'bar' : 'line', data: values }],
  };
}

function RepeatFigures({ repeat, fmt }: { repeat: Repeat; fmt: Fmt }) {
  const t = useT();
  const gapLabel = (upTo: number | null, i: number) =>
    upTo === null
      ? t('analytics.repeat.moreThan', { days: repeat.timeToSecondOrder[i - 1]!.upToDays! })
      : t('analytics.repeat.upTo', { days: upTo });
  const gapOption = lineOption(
    repeat.timeToSecondOrder.map((b, i) => gapLabel(b.upToDays, i)),
    repeat.timeToSecondOrder.map((b) => b.customers),
    fmt,
    true,
  );
  const curveOption = lineOption(
    repeat.repeatCurve.map((p) => t('analytics.repeat.days', { days: p.days })),
    repeat.repeatCurve.map((p) => p.rate),
    fmt,
  );
  const retentionOption = lineOption(
    repeat.retentionCurve.map((p) => String(p.month)),
    repeat.retentionCurve.map((p) => p.rate),
    fmt,
  );
  type Gap = Repeat['timeToSecondOrder'][number] & { i: number };
  type Point = Repeat['repeatCurve'][number];
  type Month = Repeat['retentionCurve'][number];
  const share = (x: number | null) => (x === null ? '—' : fmt.percent(x));
  return (
    <Stack gap="xl">
      <Text size="sm" data-testid="repeat-median">
        {t('analytics.repeat.intro', {
          customers: repeat.customers,
          median:
            repeat.medianDaysToSecondOrder === null
              ? '—'
              : fmt.decimal(repeat.medianDaysToSecondOrder),
        })}
      </Text>
      <Stack gap="xs">
        <FigureTable<Gap>
          chart={<Chart option={gapOption} testId="gap-chart" height={240} />}
          title={t('analytics.repeat.gapTitle')}
          rows={repeat.timeToSecondOrder.map((b, i) => ({ ...b, i }))}
          rowKey={(b) => String(b.i)}
          csvName="time-to-second-order"
          testId="gap-table"
          columns={[
            {
              key: 'days',
              label: t('analytics.repeat.gapDays'),
              hint: t('analytics.repeat.gapHint'),
              value: (b) => b.upToDays,
              show: (b) => gapLabel(b.upToDays, b.i),
              rowHeader: true,
            },
            {
              key: 'customers',
              label: t('analytics.repeat.customers'),
              hint: t('analytics.repeat.gapCustomersHint'),
              value: (b) => b.customers,
              show: (b) => fmt.number(b.customers),
            },
          ]}
        />
      </Stack>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
        <Stack gap="xs">
          <FigureTable<Point>
            chart={<Chart option={curveOption} testId="repeat-chart" height={220} />}
            title={t('analytics.repeat.curveTitle')}
            rows={repeat.repeatCurve}
            rowKey={(p) => String(p.days)}
            csvName="repeat-curve"
            testId="repeat-table"
            columns={[
              {
                key: 'days',
                label: t('analytics.repeat.within'),
                hint: t('analytics.repeat.withinHint'),
                value: (p) => p.days,
                show: (p) => t('analytics.repeat.days', { days: p.days }),
                rowHeader: true,
              },
              {
                key: 'eligible',
                label: t('analytics.repeat.eligible'),
                hint: t('analytics.repeat.eligibleHint'),
                value: (p) => p.eligible,
                show: (p) => fmt.number(p.eligible),
              },
              {
                key: 'rate',
                label: t('analytics.repeat.rate'),
                hint: t('analytics.repeat.rateHint'),
                value: (p) => p.rate,
                show: (p) => share(p.rate),
              },
            ]}
          />
        </Stack>
        <Stack gap="xs">
          <FigureTable<Month>
            chart={<Chart option={retentionOption} testId="retention-chart" height={220} />}
            title={t('analytics.repeat.retentionTitle')}
            rows={repeat.retentionCurve}
            rowKey={(p) => String(p.month)}
            csvName="retention-curve"
            testId="retention-table"
            columns={[
              {
                key: 'month',
                label: t('analytics.repeat.month'),
                hint: t('analytics.repeat.monthHint'),
                value: (p) => p.month,
                rowHeader: true,
              },
              {
                key: 'cohort',
                label: t('analytics.repeat.cohortCustomers'),
                hint: t('analytics.repeat.cohortCustomersHint'),
                value: (p) => p.cohortCustomers,
                show: (p) => fmt.number(p.cohortCustomers),
              },
              {
                key: 'rate',
                label: t('analytics.repeat.retention'),
                hint: t('analytics.repeat.retentionHint'),
                value: (p) => p.rate,
                show: (p) => share(p.rate),
              },
            ]}
          />
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

function NewVsReturningFigures({ summary, fmt }: { summary: NewVsReturning; fmt: Fmt }) {
  const t = useT();
  type Row = { key: 'new' | 'returning' | 'guests'; revenue: number; customers: number | null };
  const rows: Row[] = [
    { key: 'new', revenue: summary.revenueFromNew, customers: summary.newCustomers },
    {
      key: 'returning',
      revenue: summary.revenueFromReturning,
      customers: summary.returningCustomers,
    },
    { key: 'guests', revenue: summary.revenueFromGuests, customers: null },
  ];
  const option = {
    tooltip: { trigger: 'item', valueFormatter: (v: unknown) => fmt.money(Number(v)) },
    grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      axisLabel: { hideOverlap: true, formatter: (v: number) => fmt.money(v) },
    },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => t(`analytics.nvr.${r.key}`)) },
    color: ['#1c7ed6'],
    series: [{ type: 'bar', data: rows.map((r) => r.revenue) }],
  };
  return (
    <Stack gap="xs">
      <FigureTable<Row>
        chart={<Chart option={option} testId="nvr-chart" height={180} />}
        title={t('analytics.nvr.title')}
        rows={rows}
        rowKey={(r) => r.key}
        csvName="revenue-new-returning"
        testId="nvr-table"
        columns={[
          {
            key: 'who',
            label: t('analytics.nvr.who'),
            hint: t('analytics.nvr.whoHint'),
            value: (r) => r.key,
            show: (r) => t(`analytics.nvr.${r.key}`),
            rowHeader: true,
          },
          {
            key: 'customers',
            label: t('analytics.nvr.customers'),
            hint: t('analytics.nvr.customersHint'),
            value: (r) => r.customers,
            show: (r) => (r.customers === null ? '—' : fmt.number(r.customers)),
          },
          {
            key: 'revenue',
            label: t('analytics.nvr.revenue'),
            hint: t('analytics.nvr.revenueHint'),
            value: (r) => r.revenue / 100,
            show: (r) => fmt.money(r.revenue),
          },
          {
            key: 'share',
            label: t('analytics.nvr.share'),
            hint: t('analytics.nvr.shareHint'),
            value: (r) =>
              summary.revenue > 0 ? Number((r.revenue / summary.revenue).toFixed(4)) : null,
            show: (r) => (summary.revenue > 0 ? fmt.percent(r.revenue / summary.revenue) : '—'),
          },
        ]}
      />
    </Stack>
  );
}

function RfmGrid({ rfm, fmt }: { rfm: Rfm; fmt: Fmt }) {
  const t = useT();
  const recency = [
    ...rfm.recencyBounds.map((d) => t('analytics.repeat.upTo', { days: d })),
    t('analytics.repeat.moreThan', { days: rfm.recencyBounds.at(-1)! }),
  ];
  const f = rfm.frequencyBounds;
  const frequency = [
    t('analytics.rfm.orders', { count: 1 }),
    t('analytics.rfm.orders', { count: 2 }),
    t('analytics.rfm.orders', { count: 3 }),
    t('analytics.rfm.range', { from: f[2]! + 1, to: f[3]! }),
    t('analytics.rfm.orPlus', { count: f[3]! + 1 }),
  ];
  const cell = (r: number, q: number) =>
    rfm.cells.find((c) => c.recency === r && c.frequency === q);
  const max = Math.max(1, ...rfm.cells.map((c) => c.customers));
  type Row = { r: number };
  const rows: Row[] = recency.map((_, r) => ({ r }));
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('analytics.rfm.title')}
      </Title>
      <Text size="sm">{t('analytics.rfm.intro', { asOf: fmt.day(rfm.asOf) })}</Text>
      {rfm.cells.length === 0 ? (
        <Empty>{t('analytics.rfm.empty')}</Empty>
      ) : (
        <FigureTable<Row>
          title={t('analytics.rfm.table')}
          rows={rows}
          rowKey={(row) => String(row.r)}
          csvName="rfm"
          testId="rfm-table"
          columns={[
            {
              key: 'recency',
              label: t('analytics.rfm.recency'),
              hint: t('analytics.rfm.recencyHint'),
              value: (row) => recency[row.r]!,
              rowHeader: true,
            },
            ...frequency.map((label, q): Column<Row> => ({
              key: `f${q}`,
              label,
              hint: t('analytics.rfm.cellHint'),
              value: (row) => cell(row.r, q)?.customers ?? 0,
              show: (row) => {
                const c = cell(row.r, q);
                const n = c?.customers ?? 0;
                return (
                  <Paper
                    p={4}
                    radius="sm"
                    style={{
                      background: `rgba(12, 166, 120, ${(0.08 + (0.5 * n) / max).toFixed(2)})`,
                    }}
                  >
                    <Text size="sm" fw={600}>
                      {fmt.number(n)}
                    </Text>
                    {c && <Text size="xs">{fmt.money(c.revenuePerCustomer)}</Text>}
                  </Paper>
                );
              },
            })),
          ]}
        />
      )}
      <Text size="xs" c="dimmed">
        <Defined label={t('analytics.rfm.legend')} hint={t('analytics.rfm.cellHint')} />
      </Text>
    </Stack>
  );
}
