import { lazy, Suspense, useEffect, useState } from 'react';
import { Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShop } from '../layout/shop-context.ts';
import { todayIn, useShopFormat } from '../i18n/format.ts';
import { Empty, Failure, Loading } from '../ui/states.tsx';
import { loadGlance, loadSeries, PERIODS, rangeOf, type Period } from './home-data.ts';
import { StatCard } from './stat-card.tsx';
import { OnboardingNudge } from './onboarding/onboarding-nudge.tsx';

// ECharts is large: it loads only when Home draws its chart, not with the first page.
const loadChart = () => import('./trend-chart.tsx');
const TrendChart = lazy(loadChart);

const relative = (current: number, previous: number) =>
  previous === 0 ? null : (current - previous) / previous;

/** Home: the programme at a glance for a period against the one before it. */
export function HomePage() {
  const intl = useIntl();
  const { membership, shop } = useShop();
  const fmt = useShopFormat(shop);
  const [days, setDays] = useState<Period>(30);
  // Fetch the chart's code while its figures load, not after.
  useEffect(() => {
    void loadChart();
  }, []);
  const range = rangeOf(todayIn(fmt.timezone), days);
  const series = useQuery({
    queryKey: ['series', membership.id, range.from, range.to],
    queryFn: () => loadSeries(range, days),
    enabled: !!shop,
  });
  // The figures after the chart's one request: on a large shop they are the slower reads
  // (the summary's history, the liability over every open lot), and asked together they
  // would hold the chart back on the same database and connections.
  const glance = useQuery({
    queryKey: ['glance', membership.id, range.from, range.to],
    queryFn: () => loadGlance(range, days),
    enabled: !!shop && !series.isPending,
  });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            <FormattedMessage id="home.title" />
          </Title>
          <Text size="sm" c="dimmed">
            <FormattedMessage id="home.vsPrevious" values={{ days }} />
          </Text>
        </div>
        <Select
          label={intl.formatMessage({ id: 'home.period' })}
          data={PERIODS.map((p) => ({
            value: String(p),
            label: intl.formatMessage({ id: `home.period.${p}` }),
          }))}
          value={String(days)}
          onChange={(v) => v && setDays(Number(v) as Period)}
          allowDeselect={false}
          w={200}
        />
      </Group>
      <OnboardingNudge />
      <Glance query={glance} fmt={fmt} />
      <section aria-labelledby="chart-title">
        <Title order={2} size="h4" id="chart-title" mb="xs">
          <FormattedMessage id="home.chart" />
        </Title>
        {series.isPending ? (
          <Loading />
        ) : series.error ? (
          <Failure error={series.error} onRetry={() => void series.refetch()} />
        ) : (
          <Suspense fallback={<Loading />}>
            <TrendChart points={series.data} fmt={fmt} />
          </Suspense>
        )}
      </section>
    </Stack>
  );
}

function Glance({
  query,
  fmt,
}: {
  query: ReturnType<typeof useQuery<Awaited<ReturnType<typeof loadGlance>>>>;
  fmt: ReturnType<typeof useShopFormat>;
}) {
  const intl = useIntl();
  if (query.isPending) return <Loading />;
  if (query.error) return <Failure error={query.error} onRetry={() => void query.refetch()} />;
  const { summary, points, previousPoints, liability } = query.data;
  const change = (metric: string) => summary.change[metric] ?? null;
  const share = summary.revenue > 0 ? summary.revenueFromReturning / summary.revenue : 0;
  // Members: customers of the shop, as against guest checkouts.
  const membersRevenue = summary.revenue - summary.revenueFromGuests;
  const previousMembersRevenue = summary.previous.revenue - summary.previous.revenueFromGuests;
  const common = {
    formatChange: (c: number) =>
      intl.formatMessage({ id: 'home.change' }, { change: fmt.change(c) }),
  };
  return (
    <Stack gap="md">
      {summary.orders === 0 && (
        <Empty>
          <FormattedMessage id="home.empty" />
        </Empty>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
        <StatCard
          testId="stat-revenue"
          label={<FormattedMessage id="home.revenue" />}
          value={fmt.money(summary.revenue)}
          change={change('revenue')}
          {...common}
        />
        <StatCard
          testId="stat-members"
          label={<FormattedMessage id="home.membersRevenue" />}
          value={fmt.money(membersRevenue)}
          detail={
            <FormattedMessage
              id="home.membersShare"
              values={{
                share: fmt.percent(summary.revenue > 0 ? membersRevenue / summary.revenue : 0),
              }}
            />
          }
          change={relative(membersRevenue, previousMembersRevenue)}
          {...common}
        />
        <StatCard
          testId="stat-returning"
          label={<FormattedMessage id="home.returningRevenue" />}
          value={fmt.money(summary.revenueFromReturning)}
          detail={
            <FormattedMessage id="home.returningShare" values={{ share: fmt.percent(share) }} />
          }
          change={change('revenueFromReturning')}
          {...common}
        />
        <StatCard
          testId="stat-orders"
          label={<FormattedMessage id="home.orders" />}
          value={fmt.number(summary.orders)}
          change={change('orders')}
          {...common}
        />
        <StatCard
          testId="stat-repeat"
          label={<FormattedMessage id="home.repeatRate" />}
          value={fmt.percent(summary.repeatPurchaseRate)}
          change={change('repeatPurchaseRate')}
          {...common}
        />
        <StatCard
          testId="stat-new"
          label={<FormattedMessage id="home.newCustomers" />}
          value={fmt.number(summary.newCustomers)}
          change={change('newCustomers')}
          {...common}
        />
        <StatCard
          testId="stat-issued"
          label={<FormattedMessage id="home.pointsIssued" />}
          value={<FormattedMessage id="home.points" values={{ count: points.issued }} />}
          change={relative(points.issued, previousPoints.issued)}
          {...common}
        />
        <StatCard
          testId="stat-redeemed"
          label={<FormattedMessage id="home.pointsRedeemed" />}
          value={<FormattedMessage id="home.points" values={{ count: points.redeemed }} />}
          detail={
            points.redemptionRate === null ? undefined : (
              <>
                <FormattedMessage id="home.redemptionRate" />: {fmt.percent(points.redemptionRate)}
              </>
            )
          }
          change={relative(points.redeemed, previousPoints.redeemed)}
          {...common}
        />
        <StatCard
          testId="stat-expired"
          label={<FormattedMessage id="home.pointsExpired" />}
          value={<FormattedMessage id="home.points" values={{ count: points.expired }} />}
          change={relative(points.expired, previousPoints.expired)}
          {...common}
        />
        <StatCard
          testId="stat-liability"
          label={<FormattedMessage id="home.liability" />}
          value={fmt.money(liability.value.amount)}
          detail={
            <FormattedMessage
              id="home.liabilityDetail"
              values={{ points: liability.points.outstanding, members: liability.members }}
            />
          }
        />
        <StatCard
          testId="stat-referrals"
          label={<FormattedMessage id="home.referrals" />}
          value={fmt.number(query.data.referrals)}
          change={relative(query.data.referrals, query.data.previousReferrals)}
          {...common}
        />
        <StatCard
          testId="stat-messages"
          label={<FormattedMessage id="home.messagesSent" />}
          value={fmt.number(query.data.messagesSent)}
          change={relative(query.data.messagesSent, query.data.previousMessagesSent)}
          {...common}
        />
      </SimpleGrid>
    </Stack>
  );
}
