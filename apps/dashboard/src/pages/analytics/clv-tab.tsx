import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Empty, Loaded } from '../../ui/states.tsx';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { addDays, todayIn } from '../../i18n/format.ts';
import { fitClv, loadClv, type Clv, type CustomerValue } from './analytics-data.ts';
import { Chart } from './chart.tsx';
import type { Fmt } from './figure-format.ts';
import { Defined, FigureTable, type Column } from './figure-table.tsx';
import { useT } from './use-t.ts';
import { useProblemText } from '../problem-text.tsx';

/** Weeks of purchases the fit check holds back to compare predictions with what happened. */
const CHECK_WEEKS = 26;

/** CLV: the fitted model and how well it predicts, the predicted value's distribution, the top customers and those at risk. */
export function ClvTab({ fmt }: { fmt: Fmt }) {
  const t = useT();
  const query = useQuery({
    queryKey: ['analytics', 'clv'],
    queryFn: loadClv,
    // after a fit the customers are scored by a background job: look again until it is done
    refetchInterval: (q) => (q.state.data?.model?.predictionsPending ? 5000 : false),
  });
  return (
    <Stack gap="xl">
      <FitCheck fmt={fmt} />
      <Loaded query={query}>
        {(clv) =>
          clv.model ? <ClvFigures clv={clv} fmt={fmt} /> : <Empty>{t('analytics.clv.none')}</Empty>
        }
      </Loaded>
    </Stack>
  );
}

/** Fit on all but the last 26 weeks and compare the predicted purchases of those weeks with the actual ones. */
function FitCheck({ fmt }: { fmt: Fmt }) {
  const t = useT();
  const problemText = useProblemText();
  const canFit = useCan(MARKETING);
  const client = useQueryClient();
  const today = todayIn(fmt.timezone);
  const fit = useMutation({
    mutationFn: () =>
      fitClv({ calibrationEnd: addDays(today, -7 * CHECK_WEEKS), holdoutEnd: today }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['analytics', 'clv'] }),
  });
  if (!canFit) return null;
  const h = fit.data?.holdout;
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" align="center">
        <Text size="sm" maw={640}>
          {t('analytics.clv.fitIntro', { weeks: CHECK_WEEKS })}
        </Text>
        <Button onClick={() => fit.mutate()} loading={fit.isPending} data-testid="clv-fit">
          {t('analytics.clv.fit')}
        </Button>
      </Group>
      {fit.isError && (
        <Alert color="red" mt="sm" role="alert">
          {problemText(fit.error)}
        </Alert>
      )}
      {h && (
        <Text size="sm" mt="sm" data-testid="clv-fit-check">
          {t('analytics.clv.fitResult', {
            weeks: fmt.decimal(h.weeks),
            predicted: fmt.decimal(h.predictedPurchases),
            actual: fmt.number(h.actualPurchases),
            error:
              h.actualPurchases > 0
                ? fmt.percent(
                    Math.abs(h.predictedPurchases - h.actualPurchases) / h.actualPurchases,
                  )
                : '—',
          })}
        </Text>
      )}
    </Paper>
  );
}

function ClvFigures({ clv, fmt }: { clv: Clv; fmt: Fmt }) {
  const t = useT();
  const model = clv.model!;
  const distribution = clv.distribution ?? [];
  const bucket = (i: number) => {
    const b = distribution[i]!;
    return b.upTo === null
      ? t('analytics.clv.atLeast', { amount: fmt.money(distribution[i - 1]!.upTo!) })
      : t('analytics.clv.below', { amount: fmt.money(b.upTo) });
  };
  const option = {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: distribution.map((_, i) => bucket(i)) },
    yAxis: { type: 'value', minInterval: 1 },
    color: ['#7048e8'],
    series: [{ type: 'bar', data: distribution.map((b) => b.customers) }],
  };
  const param = (name: string, v: number) => `${name} = ${fmt.decimal(v)}`;
  type Bucket = { i: number; customers: number; value: number };
  const customerColumns = (): Column<CustomerValue>[] => [
    {
      key: 'customer',
      label: t('analytics.clv.customer'),
      hint: t('analytics.clv.customerHint'),
      value: (c) => c.customerId,
      show: (c) => c.email ?? c.customerId,
      rowHeader: true,
    },
    {
      key: 'clv',
      label: t('analytics.clv.predicted'),
      hint: t('analytics.clv.predictedHint'),
      value: (c) => (c.predictedClv === null ? null : c.predictedClv / 100),
      show: (c) => (c.predictedClv === null ? '—' : fmt.money(c.predictedClv)),
    },
    {
      key: 'alive',
      label: t('analytics.clv.alive'),
      hint: t('analytics.clv.aliveHint'),
      value: (c) => c.probabilityAlive,
      show: (c) => fmt.percent(c.probabilityAlive),
    },
    {
      key: 'purchases',
      label: t('analytics.clv.purchases'),
      hint: t('analytics.clv.purchasesHint'),
      value: (c) => c.expectedPurchases,
      show: (c) => fmt.decimal(c.expectedPurchases),
    },
    {
      key: 'revenue',
      label: t('analytics.clv.historical'),
      hint: t('analytics.clv.historicalHint'),
      value: (c) => c.historicalRevenue / 100,
      show: (c) => fmt.money(c.historicalRevenue),
    },
    {
      key: 'last',
      label: t('analytics.clv.lastOrder'),
      hint: t('analytics.clv.lastOrderHint'),
      value: (c) => c.lastOrderOn,
      show: (c) => (c.lastOrderOn ? fmt.day(c.lastOrderOn) : '—'),
    },
  ];
  const list = (key: 'topByValue' | 'topByProbabilityAlive' | 'atRisk') => (
    <FigureTable<CustomerValue>
      title={t(`analytics.clv.${key}`)}
      rows={clv[key] ?? []}
      rowKey={(c) => c.customerId}
      csvName={`clv-${key}`}
      testId={`clv-${key}`}
      columns={customerColumns()}
    />
  );
  return (
    <Stack gap="xl">
      <Paper withBorder p="md" data-testid="clv-model">
        <Text fw={600}>
          <Defined label={t('analytics.clv.model')} hint={t('analytics.clv.modelHint')} />
        </Text>
        <Text size="sm" mt="xs">
          {t('analytics.clv.modelSummary', {
            fitted: fmt.day(model.fittedAt.slice(0, 10)),
            calibrationEnd: fmt.day(model.calibrationEnd),
            customers: model.customers,
          })}
        </Text>
        {model.predictionsPending && (
          <Text size="sm" mt="xs" c="dimmed" data-testid="clv-scoring">
            {t('analytics.clv.scoring')}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
          <Text size="sm">
            <Defined label="BG/NBD" hint={t('analytics.clv.bgnbdHint')} />:{' '}
            {[
              param('r', model.bgnbd.r),
              param('α', model.bgnbd.alpha),
              param('a', model.bgnbd.a),
              param('b', model.bgnbd.b),
            ].join(', ')}
          </Text>
          <Text size="sm">
            <Defined label="Gamma-Gamma" hint={t('analytics.clv.ggHint')} />:{' '}
            {model.gammaGamma
              ? [
                  param('p', model.gammaGamma.p),
                  param('q', model.gammaGamma.q),
                  param('v', model.gammaGamma.v),
                ].join(', ')
              : t('analytics.clv.noGg')}
          </Text>
          <Text size="sm">
            <Defined
              label={t('analytics.clv.logLikelihood')}
              hint={t('analytics.clv.logLikelihoodHint')}
            />
            : {fmt.decimal(model.bgnbd.logLikelihood)}
          </Text>
        </SimpleGrid>
      </Paper>
      <Stack gap="xs">
        <FigureTable<Bucket>
          chart={<Chart option={option} testId="clv-chart" height={240} />}
          title={t('analytics.clv.distribution')}
          rows={distribution.map((b, i) => ({ ...b, i }))}
          rowKey={(b) => String(b.i)}
          csvName="clv-distribution"
          testId="clv-distribution"
          columns={[
            {
              key: 'bucket',
              label: t('analytics.clv.bucket'),
              hint: t('analytics.clv.predictedHint'),
              value: (b) => (distribution[b.i]!.upTo ?? 0) / 100,
              show: (b) => bucket(b.i),
              rowHeader: true,
            },
            {
              key: 'customers',
              label: t('analytics.clv.customers'),
              hint: t('analytics.clv.customersHint'),
              value: (b) => b.customers,
              show: (b) => fmt.number(b.customers),
            },
            {
              key: 'value',
              label: t('analytics.clv.value'),
              hint: t('analytics.clv.valueHint'),
              value: (b) => b.value / 100,
              show: (b) => fmt.money(b.value),
            },
          ]}
        />
      </Stack>
      {list('topByValue')}
      {list('topByProbabilityAlive')}
      {list('atRisk')}
    </Stack>
  );
}
