import type { ReactNode } from 'react';
import {
  Box,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { todayIn, useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { dayOf } from '../../ui/shop-time.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { ReferralsFrame } from './referrals-nav.tsx';
import { ScrollTable } from './scroll-table.tsx';
import {
  csvLine,
  saveFile,
  useReferralCampaigns,
  useReferralResults,
  type CampaignResults,
} from './referrals-data.ts';

const STAGES = ['clicks', 'signups', 'firstPurchases', 'qualified', 'rewarded'] as const;

/** A figure whose definition and period show on hover and focus. */
function Defined({ definition, children }: { definition: string; children: ReactNode }) {
  return (
    <Tooltip
      label={definition}
      multiline
      w={280}
      withArrow
      events={{ hover: true, focus: true, touch: true }}
    >
      <Text component="span" tabIndex={0} td="underline dotted" style={{ cursor: 'help' }}>
        {children}
      </Text>
    </Tooltip>
  );
}

/** The funnel of each campaign, its cost per customer, and referred against other customers. */
export function ReferralResultsPage() {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const results = useReferralResults();
  const campaigns = useReferralCampaigns();
  const today = todayIn(fmt.timezone);

  const periodOf = (campaignId: string) => {
    const startsAt = campaigns.data?.find((c) => c.id === campaignId)?.startsAt;
    return intl.formatMessage(
      { id: 'referrals.results.period' },
      {
        from: startsAt ? fmt.day(dayOf(startsAt, fmt.timezone)) : '',
        hasFrom: String(Boolean(startsAt)),
        to: fmt.day(today),
      },
    );
  };

  const downloadCsv = (data: CampaignResults[]) => {
    const header = [
      'campaign_id',
      'campaign',
      'clicks',
      'signups',
      'first_purchases',
      'qualified',
      'rewarded',
      'flagged',
      'rejected',
      'acquired_customers',
      'revenue',
      'reward_cost',
      'cost_per_acquired_customer',
      'referred_aov',
      'others_aov',
      'referred_repeat_rate',
      'others_repeat_rate',
      'currency',
    ];
    const major = (m: { amount: number } | null) => (m ? (m.amount / 100).toFixed(2) : null);
    const lines = data.map((c) =>
      csvLine([
        c.campaignId,
        c.name,
        c.funnel.clicks,
        c.funnel.signups,
        c.funnel.firstPurchases,
        c.funnel.qualified,
        c.funnel.rewarded,
        c.funnel.flagged,
        c.funnel.rejected,
        c.acquiredCustomers,
        major(c.revenue),
        major(c.rewardCost),
        major(c.costPerAcquiredCustomer),
        major(c.customerValue.referred.averageOrderValue),
        major(c.customerValue.others.averageOrderValue),
        c.customerValue.referred.repeatRate,
        c.customerValue.others.repeatRate,
        c.revenue.currency,
      ]),
    );
    saveFile(`referral-results-${today}.csv`, [csvLine(header), ...lines].join('\n') + '\n');
  };

  return (
    <ReferralsFrame
      title={intl.formatMessage({ id: 'referrals.results.title' })}
      lead={intl.formatMessage({ id: 'referrals.results.lead' })}
      actions={
        results.data &&
        results.data.length > 0 && (
          <Button variant="light" onClick={() => downloadCsv(results.data)}>
            <FormattedMessage id="referrals.results.csv" />
          </Button>
        )
      }
    >
      {results.isPending ? (
        <Loading />
      ) : results.error ? (
        <Failure error={results.error} onRetry={() => void results.refetch()} />
      ) : results.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="referrals.results.empty" />
        </Empty>
      ) : (
        results.data.map((c) => (
          <CampaignFunnel key={c.campaignId} c={c} period={periodOf(c.campaignId)} />
        ))
      )}
    </ReferralsFrame>
  );
}

function CampaignFunnel({ c, period }: { c: CampaignResults; period: string }) {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const top = Math.max(c.funnel.clicks, c.funnel.signups, 1);
  const def = (id: string) => `${intl.formatMessage({ id })} ${period}`;
  const headingId = `results-${c.campaignId}`;
  const money = (m: { amount: number } | null) => (m ? fmt.money(m.amount) : '—');
  const rate = (r: number | null) => (r === null ? '—' : fmt.percent(r));
  return (
    <Paper
      withBorder
      p="md"
      component="section"
      aria-labelledby={headingId}
      data-testid={`results-${c.campaignId}`}
    >
      <Stack gap="md">
        <div>
          <Title order={2} size="h4" id={headingId}>
            {c.name}
          </Title>
          <Text size="sm" c="dimmed">
            {period}
          </Text>
        </div>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Box aria-hidden="true">
            {STAGES.map((stage) => (
              <Group key={stage} gap="xs" wrap="nowrap" mb={6}>
                <Text size="sm" w={120}>
                  <FormattedMessage id={`referrals.funnel.${stage}`} />
                </Text>
                <Box
                  h={18}
                  bg="teal.7"
                  style={{
                    borderRadius: 3,
                    width: `${(c.funnel[stage] / top) * 70}%`,
                    minWidth: 2,
                  }}
                />
                <Text size="sm">{fmt.number(c.funnel[stage])}</Text>
              </Group>
            ))}
          </Box>
          <Table data-testid="funnel-table">
            <Table.Caption>
              <FormattedMessage id="referrals.funnel.caption" />
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  <FormattedMessage id="referrals.funnel.stage" />
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  <FormattedMessage id="referrals.funnel.count" />
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  <FormattedMessage id="referrals.funnel.ofSignups" />
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {STAGES.map((stage) => (
                <Table.Tr key={stage} data-testid={`funnel-${stage}`}>
                  <Table.Th scope="row" fw={400}>
                    <Defined definition={def(`referrals.funnel.def.${stage}`)}>
                      <FormattedMessage id={`referrals.funnel.${stage}`} />
                    </Defined>
                  </Table.Th>
                  <Table.Td ta="right">{fmt.number(c.funnel[stage])}</Table.Td>
                  <Table.Td ta="right">
                    {stage === 'clicks' || !c.funnel.signups
                      ? '—'
                      : fmt.percent(c.funnel[stage] / c.funnel.signups)}
                  </Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Th scope="row" fw={400}>
                  <FormattedMessage id="referrals.funnel.flaggedRejected" />
                </Table.Th>
                <Table.Td ta="right" data-testid="funnel-flagged-rejected">
                  {`${fmt.number(c.funnel.flagged)} / ${fmt.number(c.funnel.rejected)}`}
                </Table.Td>
                <Table.Td />
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          {(
            [
              ['acquired', fmt.number(c.acquiredCustomers)],
              ['revenue', money(c.revenue)],
              ['rewardCost', money(c.rewardCost)],
              ['costPerCustomer', money(c.costPerAcquiredCustomer)],
            ] as const
          ).map(([id, value]) => (
            <Paper key={id} withBorder p="sm">
              <Text size="sm" c="dimmed">
                <Defined definition={def(`referrals.figure.def.${id}`)}>
                  <FormattedMessage id={`referrals.figure.${id}`} />
                </Defined>
              </Text>
              <Text fw={700} size="lg" data-testid={`figure-${id}`}>
                {value}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
        <ScrollTable minWidth={340} label={intl.formatMessage({ id: 'referrals.value.caption' })}>
          <Table data-testid="value-table">
            <Table.Caption>
              <FormattedMessage id="referrals.value.caption" />
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" />
                <Table.Th scope="col" ta="right">
                  <Defined definition={def('referrals.value.def.referred')}>
                    <FormattedMessage id="referrals.value.referred" />
                  </Defined>
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  <Defined definition={def('referrals.value.def.others')}>
                    <FormattedMessage id="referrals.value.others" />
                  </Defined>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(
                [
                  ['customers', (v: typeof c.customerValue.referred) => fmt.number(v.customers)],
                  ['orders', (v: typeof c.customerValue.referred) => fmt.number(v.orders)],
                  ['aov', (v: typeof c.customerValue.referred) => money(v.averageOrderValue)],
                  ['repeatRate', (v: typeof c.customerValue.referred) => rate(v.repeatRate)],
                ] as const
              ).map(([id, show]) => (
                <Table.Tr key={id} data-testid={`value-${id}`}>
                  <Table.Th scope="row" fw={400}>
                    <Defined definition={def(`referrals.value.def.${id}`)}>
                      <FormattedMessage id={`referrals.value.${id}`} />
                    </Defined>
                  </Table.Th>
                  <Table.Td ta="right">{show(c.customerValue.referred)}</Table.Td>
                  <Table.Td ta="right">{show(c.customerValue.others)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      </Stack>
    </Paper>
  );
}
