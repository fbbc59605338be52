import { Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import {
  loadLiability,
  loadPointsBalance,
  type BalanceMonth,
  loadPointsActivity,
  loadPointsSeries,
  type Range,
  type SeriesStep,
} from './analytics-data.ts';
import { Chart } from './chart.tsx';
import type { Fmt } from './figure-format.ts';
import { Defined, FigureTable } from './figure-table.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useT } from './use-t.ts';

/** Points economics: issued, redeemed and expired per month, breakage and redemption rate, and what the points owe in money. */
export function PointsTab({ range, fmt }: { range: Range; fmt: Fmt }) {
  const t = useT();
  const series = useQuery({
    queryKey: ['analytics', 'points-series', range],
    queryFn: () => loadPointsSeries(range),
  });
  const activity = useQuery({
    queryKey: ['analytics', 'points-activity', range],
    queryFn: () => loadPointsActivity(range),
  });
  const balance = useQuery({
    queryKey: ['analytics', 'points-balance', range],
    queryFn: () => loadPointsBalance(range),
  });
  const liability = useQuery({ queryKey: ['analytics', 'liability'], queryFn: loadLiability });
  const period = t('analytics.points.periodHint', { from: fmt.day(range.from) });
  return (
    <Stack gap="xl">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Loaded query={activity}>
          {(a) => (
            <>
              <Figure
                label={t('analytics.points.breakage')}
                hint={`${t('analytics.points.breakageHint')} ${period}`}
                value={a.breakage === null ? '—' : fmt.percent(a.breakage)}
                testId="points-breakage"
              />
              <Figure
                label={t('analytics.points.redemptionRate')}
                hint={`${t('analytics.points.redemptionRateHint')} ${period}`}
                value={a.redemptionRate === null ? '—' : fmt.percent(a.redemptionRate)}
                testId="points-redemption-rate"
              />
              <Figure
                label={t('analytics.points.redeemedValue')}
                hint={`${t('analytics.points.redeemedValueHint')} ${period}`}
                value={fmt.money(a.redeemedValue.amount)}
                testId="points-redeemed-value"
              />
            </>
          )}
        </Loaded>
        <Loaded query={liability}>
          {(l) => (
            <Figure
              label={t('analytics.points.liability')}
              hint={t('analytics.points.liabilityHint', {
                points: fmt.number(l.points.outstanding),
                value: fmt.decimal(l.pointValue / 100),
              })}
              value={fmt.money(l.value.amount)}
              testId="points-liability"
            />
          )}
        </Loaded>
      </SimpleGrid>
      <Loaded query={balance}>{({ data }) => <OwedOverTime months={data} fmt={fmt} />}</Loaded>
      <Loaded query={series}>{({ data }) => <PointsSeries steps={data} fmt={fmt} />}</Loaded>
    </Stack>
  );
}

function Figure({
  label,
  hint,
  value,
  testId,
}: {
  label: string;
  hint: string;
  value: string;
  testId: string;
}) {
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Text size="sm" c="dimmed">
        <Defined label={label} hint={hint} />
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Paper>
  );
}

function PointsSeries({ steps, fmt }: { steps: SeriesStep[]; fmt: Fmt }) {
  const t = useT();
  const names = {
    issued: t('analytics.points.issued'),
    redeemed: t('analytics.points.redeemed'),
    expired: t('analytics.points.expired'),
  };
  const option = {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.number(Number(v)) },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: steps.map((s) => fmt.month(s.from.slice(0, 7))) },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: { formatter: (v: number) => fmt.number(v) },
    },
    color: ['#0ca678', '#1c7ed6', '#fa5252'],
    series: [
      { name: names.issued, type: 'bar', data: steps.map((s) => s.pointsIssued) },
      { name: names.redeemed, type: 'bar', data: steps.map((s) => s.pointsRedeemed) },
      { name: names.expired, type: 'bar', data: steps.map((s) => s.pointsExpired) },
    ],
  };
  return (
    <Stack gap="xs">
      <FigureTable<SeriesStep>
        chart={<Chart option={option} testId="points-chart" />}
        title={t('analytics.points.table')}
        rows={steps}
        rowKey={(s) => s.from}
        csvName="points"
        testId="points-table"
        columns={[
          {
            key: 'month',
            label: t('analytics.points.month'),
            hint: t('analytics.points.monthHint'),
            value: (s) => s.from.slice(0, 7),
            show: (s) => fmt.month(s.from.slice(0, 7)),
            rowHeader: true,
          },
          {
            key: 'issued',
            label: names.issued,
            hint: t('analytics.points.issuedHint'),
            value: (s) => s.pointsIssued,
            show: (s) => fmt.number(s.pointsIssued),
          },
          {
            key: 'redeemed',
            label: names.redeemed,
            hint: t('analytics.points.redeemedHint'),
            value: (s) => s.pointsRedeemed,
            show: (s) => fmt.number(s.pointsRedeemed),
          },
          {
            key: 'expired',
            label: names.expired,
            hint: t('analytics.points.expiredHint'),
            value: (s) => s.pointsExpired,
            show: (s) => fmt.number(s.pointsExpired),
          },
        ]}
      />
    </Stack>
  );
}

/** What the points owed to members were worth at the end of each month. */
function OwedOverTime({ months, fmt }: { months: BalanceMonth[]; fmt: Fmt }) {
  const t = useT();
  const option = {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.money(Number(v)) },
    grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: months.map((m) => fmt.month(m.month)) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.money(v) } },
    color: ['#f08c00'],
    series: [{ type: 'line', data: months.map((m) => m.value) }],
  };
  return (
    <FigureTable<BalanceMonth>
      chart={<Chart option={option} testId="owed-chart" height={220} />}
      title={t('analytics.points.owedTitle')}
      rows={months}
      rowKey={(m) => m.month}
      csvName="points-owed"
      testId="owed-table"
      columns={[
        {
          key: 'month',
          label: t('analytics.points.month'),
          hint: t('analytics.points.owedMonthHint'),
          value: (m) => m.month,
          show: (m) => fmt.month(m.month),
          rowHeader: true,
        },
        {
          key: 'points',
          label: t('analytics.points.owedPoints'),
          hint: t('analytics.points.owedPointsHint'),
          value: (m) => m.points,
          show: (m) => fmt.number(m.points),
        },
        {
          key: 'value',
          label: t('analytics.points.owedValue'),
          hint: t('analytics.points.owedValueHint'),
          value: (m) => m.value / 100,
          show: (m) => fmt.money(m.value),
        },
      ]}
    />
  );
}
