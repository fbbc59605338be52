import { Alert, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import {
  loadLift,
  type Difference,
  type Lift,
  type LiftGroup,
  type Range,
} from './analytics-data.ts';
import type { Fmt } from './figure-format.ts';
import { Defined, FigureTable, type Column } from './figure-table.tsx';
import { Loaded } from '../../ui/states.tsx';
import { useT } from './use-t.ts';

type Metric = 'revenuePerCustomer' | 'repeatRate' | 'retention90';
const METRICS: Metric[] = ['revenuePerCustomer', 'repeatRate', 'retention90'];

/** The programme against its holdout: customers acquired in the period, in plain words and as a table. */
export function LiftTab({ range, fmt }: { range: Range; fmt: Fmt }) {
  const t = useT();
  const query = useQuery({
    queryKey: ['analytics', 'lift', range],
    queryFn: () => loadLift(range),
  });
  return (
    <Loaded query={query}>
      {(lift) => (
        <Stack gap="md">
          <Text size="sm">
            {t('analytics.lift.intro', {
              holdout: fmt.percent(lift.holdoutPercent / 100),
              members: fmt.number(lift.members.customers),
              held: fmt.number(lift.holdout.customers),
            })}
          </Text>
          {lift.note && (
            <Alert color="yellow" data-testid="lift-note">
              {lift.holdoutPercent === 0
                ? t('analytics.lift.noHoldout')
                : t('analytics.lift.tooFew')}
            </Alert>
          )}
          {lift.lift && (
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              {METRICS.map((m) => (
                <Paper key={m} withBorder p="md" data-testid={`lift-${m}`}>
                  <Text fw={600}>
                    <Defined label={t(`analytics.lift.${m}`)} hint={t(`analytics.lift.${m}Hint`)} />
                  </Text>
                  <Text size="sm" mt="xs">
                    {sentence(lift.lift![m], m, fmt, t)}
                  </Text>
                </Paper>
              ))}
            </SimpleGrid>
          )}
          <LiftTable lift={lift} fmt={fmt} />
        </Stack>
      )}
    </Loaded>
  );
}

function value(m: Metric, g: LiftGroup, fmt: Fmt): string {
  if (m === 'revenuePerCustomer') return fmt.money(g.revenuePerCustomer);
  const share = g[m];
  return share === null ? '—' : fmt.percent(share);
}

function shown(m: Metric, d: number, fmt: Fmt) {
  return m === 'revenuePerCustomer' ? fmt.signedMoney(d) : `${fmt.pp(d)} pp`;
}

/** "Members: +2.1 pp, 95% interval 0.4 to 3.8 pp; this could be chance (p = 0.21)." */
function sentence(d: Difference | null, m: Metric, fmt: Fmt, t: ReturnType<typeof useT>) {
  if (!d) return t('analytics.lift.notEnough');
  const args = {
    difference: shown(m, d.difference, fmt),
    low: shown(m, d.ci95[0], fmt),
    high: shown(m, d.ci95[1], fmt),
    p: d.pValue === null ? '—' : fmt.pValue(d.pValue),
  };
  const sure = d.ci95[0] > 0 || d.ci95[1] < 0;
  return t(sure ? 'analytics.lift.sure' : 'analytics.lift.unsure', args);
}

interface Row {
  metric: Metric;
  members: LiftGroup;
  holdout: LiftGroup;
  d: Difference | null;
}

function LiftTable({ lift, fmt }: { lift: Lift; fmt: Fmt }) {
  const t = useT();
  const rows: Row[] = METRICS.map((metric) => ({
    metric,
    members: lift.members,
    holdout: lift.holdout,
    d: lift.lift?.[metric] ?? null,
  }));
  const raw = (m: Metric, g: LiftGroup) => g[m];
  const period = t('analytics.lift.periodHint', { from: fmt.day(lift.from), to: fmt.day(lift.to) });
  const columns: Column<Row>[] = [
    {
      key: 'metric',
      label: t('analytics.lift.metric'),
      hint: period,
      value: (r) => r.metric,
      show: (r) => t(`analytics.lift.${r.metric}`),
      rowHeader: true,
    },
    {
      key: 'members',
      label: t('analytics.lift.members'),
      hint: t('analytics.lift.membersHint'),
      value: (r) => raw(r.metric, r.members),
      show: (r) => value(r.metric, r.members, fmt),
    },
    {
      key: 'holdout',
      label: t('analytics.lift.holdout'),
      hint: t('analytics.lift.holdoutHint'),
      value: (r) => raw(r.metric, r.holdout),
      show: (r) => value(r.metric, r.holdout, fmt),
    },
    {
      key: 'difference',
      label: t('analytics.lift.difference'),
      hint: t('analytics.lift.differenceHint'),
      value: (r) => r.d?.difference ?? null,
      show: (r) => (r.d ? shown(r.metric, r.d.difference, fmt) : '—'),
    },
    {
      key: 'ci',
      label: t('analytics.lift.ci'),
      hint: t('analytics.lift.ciHint'),
      value: (r) => (r.d ? `${r.d.ci95[0]}..${r.d.ci95[1]}` : null),
      show: (r) =>
        r.d ? `${shown(r.metric, r.d.ci95[0], fmt)} … ${shown(r.metric, r.d.ci95[1], fmt)}` : '—',
    },
    {
      key: 'p',
      label: t('analytics.lift.p'),
      hint: t('analytics.lift.pHint'),
      value: (r) => r.d?.pValue ?? null,
      show: (r) => (r.d?.pValue == null ? '—' : fmt.pValue(r.d.pValue)),
    },
  ];
  return (
    <FigureTable
      title={t('analytics.lift.table')}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.metric}
      csvName="lift"
      testId="lift-table"
    />
  );
}
