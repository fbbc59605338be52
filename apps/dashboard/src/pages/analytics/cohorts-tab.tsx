import { Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Fmt } from './figure-format.ts';
import { Empty, Loaded } from '../../ui/states.tsx';
import { loadCohorts, type Cohort, type Range } from './analytics-data.ts';
import { Chart } from './chart.tsx';
import { FigureTable, type Column } from './figure-table.tsx';
import { useT } from './use-t.ts';

/** The cohort retention heatmap: customers by the month of their first order, and the share buying in each later month. */
export function CohortsTab({ range, fmt }: { range: Range; fmt: Fmt }) {
  const t = useT();
  const query = useQuery({
    queryKey: ['analytics', 'cohorts', range],
    queryFn: () => loadCohorts(range),
  });
  return (
    <Loaded query={query}>
      {({ cohorts }) =>
        cohorts.every((c) => c.customers === 0) ? (
          <Empty>{t('analytics.cohorts.empty')}</Empty>
        ) : (
          <CohortFigures cohorts={cohorts} fmt={fmt} />
        )
      }
    </Loaded>
  );
}

function CohortFigures({ cohorts, fmt }: { cohorts: Cohort[]; fmt: Fmt }) {
  const t = useT();
  const span = cohorts[0]?.retention.length ?? 0;
  const month = (m: string) => fmt.month(m);
  const option = {
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `${month(cohorts[p.value[1]]!.cohort)} · ${t('analytics.cohorts.monthK', { k: p.value[0] })}: ${fmt.percent(p.value[2])}`,
    },
    grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
    xAxis: {
      type: 'category',
      data: Array.from({ length: span }, (_, k) => String(k)),
      name: t('analytics.cohorts.monthsAfter'),
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: { type: 'category', data: cohorts.map((c) => month(c.cohort)), inverse: true },
    visualMap: { min: 0, max: 1, show: false, inRange: { color: ['#f1f3f5', '#0ca678'] } },
    series: [
      {
        type: 'heatmap',
        data: cohorts.flatMap((c, i) =>
          c.customers > 0 ? c.retention.map((r, k) => [k, i, r]) : [],
        ),
        label: {
          // on a phone the shares would overlap: the tooltip and the table give them
          show: span <= 13 && window.matchMedia('(min-width: 768px)').matches,
          formatter: (p: { value: number[] }) => fmt.percent(p.value[2]!),
        },
      },
    ],
  };
  const columns: Column<Cohort>[] = [
    {
      key: 'cohort',
      label: t('analytics.cohorts.cohort'),
      hint: t('analytics.cohorts.cohortHint'),
      value: (c) => c.cohort,
      show: (c) => month(c.cohort),
      rowHeader: true,
    },
    {
      key: 'customers',
      label: t('analytics.cohorts.customers'),
      hint: t('analytics.cohorts.customersHint'),
      value: (c) => c.customers,
      show: (c) => fmt.number(c.customers),
    },
    ...Array.from({ length: span }, (_, k): Column<Cohort> => ({
      key: `m${k}`,
      label: t('analytics.cohorts.monthK', { k }),
      hint: t('analytics.cohorts.monthHint', { k }),
      value: (c) =>
        k < c.retention.length && c.customers > 0 ? Number(c.retention[k]!.toFixed(6)) : null,
      show: (c) =>
        k < c.retention.length && c.customers > 0 ? (
          <span data-testid={`cohort-${c.cohort}-${k}`}>{fmt.percent(c.retention[k]!)}</span>
        ) : (
          ''
        ),
    })),
  ];
  return (
    <Stack gap="md">
      <Text size="sm">{t('analytics.cohorts.intro')}</Text>
      <FigureTable
        chart={
          <Chart
            option={option}
            testId="cohort-heatmap"
            height={Math.max(240, cohorts.length * 28 + 70)}
          />
        }
        title={t('analytics.cohorts.table')}
        columns={columns}
        rows={cohorts}
        rowKey={(c) => c.cohort}
        csvName="cohorts"
        testId="cohort-table"
      />
    </Stack>
  );
}
