import { useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { fieldProblem } from '../../ui/field-error.ts';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { ReferralsFrame } from './referrals-nav.tsx';
import { ScrollTable } from './scroll-table.tsx';
import {
  PAYOUT_RECORDERS,
  useAffiliates,
  useCreateAffiliate,
  useDownloadPayouts,
  useMarkPaid,
  usePayouts,
} from './referrals-data.ts';

/** Affiliates: their links and rates, and per month their orders, commission and payouts. */
export function AffiliatesPage() {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const affiliates = useAffiliates();
  const payouts = usePayouts();
  const download = useDownloadPayouts();
  const markPaid = useMarkPaid();
  const canWrite = useCan(MARKETING);
  const canPay = useCan(PAYOUT_RECORDERS);
  const problemText = useProblemText();
  const [adding, setAdding] = useState(false);

  return (
    <ReferralsFrame
      title={intl.formatMessage({ id: 'referrals.affiliates.title' })}
      lead={intl.formatMessage({ id: 'referrals.affiliates.lead' })}
      actions={
        canWrite && (
          <Button onClick={() => setAdding(true)}>
            <FormattedMessage id="referrals.affiliates.add" />
          </Button>
        )
      }
    >
      <section aria-labelledby="affiliates-title">
        <Title order={2} size="h4" id="affiliates-title" mb="xs">
          <FormattedMessage id="referrals.affiliates.list" />
        </Title>
        {affiliates.isPending ? (
          <Loading />
        ) : affiliates.error ? (
          <Failure error={affiliates.error} onRetry={() => void affiliates.refetch()} />
        ) : affiliates.data.length === 0 ? (
          <Empty>
            <FormattedMessage id="referrals.affiliates.empty" />
          </Empty>
        ) : (
          <ScrollTable
            minWidth={560}
            label={intl.formatMessage({ id: 'referrals.affiliates.list' })}
          >
            <Table striped data-testid="affiliates">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    {intl.formatMessage({ id: 'referrals.col.name' })}
                  </Table.Th>
                  <Table.Th scope="col">
                    {intl.formatMessage({ id: 'referrals.col.link' })}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {intl.formatMessage({ id: 'referrals.col.commission' })}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {intl.formatMessage({ id: 'referrals.col.windowDays' })}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {affiliates.data.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      {a.name}
                      {a.archived && (
                        <Badge ml="xs" tt="none" size="sm" variant="outline" color="gray.8">
                          <FormattedMessage id="referrals.campaigns.archived" />
                        </Badge>
                      )}
                      {a.email && (
                        <Text size="xs" c="dimmed">
                          {a.email}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Anchor href={a.link} size="sm" style={{ wordBreak: 'break-all' }}>
                        {a.link}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="right">{fmt.percent(a.commissionPercent / 100)}</Table.Td>
                    <Table.Td ta="right">{fmt.number(a.attributionWindowDays)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </section>
      <section aria-labelledby="payouts-title">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="payouts-title">
            <FormattedMessage id="referrals.affiliates.payouts" />
          </Title>
          <Button variant="light" loading={download.isPending} onClick={() => download.mutate()}>
            <FormattedMessage id="referrals.affiliates.csv" />
          </Button>
        </Group>
        <Text size="sm" c="dimmed" mb="xs">
          <FormattedMessage id="referrals.affiliates.payoutsLead" />
        </Text>
        {(download.error || markPaid.error) && (
          <Alert color="red" role="alert" mb="xs">
            {problemText(download.error ?? markPaid.error)}
          </Alert>
        )}
        {payouts.isPending ? (
          <Loading />
        ) : payouts.error ? (
          <Failure error={payouts.error} onRetry={() => void payouts.refetch()} />
        ) : payouts.data.length === 0 ? (
          <Empty>
            <FormattedMessage id="referrals.affiliates.noPayouts" />
          </Empty>
        ) : (
          <ScrollTable
            minWidth={720}
            label={intl.formatMessage({ id: 'referrals.affiliates.payouts' })}
          >
            <Table striped data-testid="payouts">
              <Table.Thead>
                <Table.Tr>
                  {['affiliate', 'month', 'orders', 'netRevenue', 'commission', 'paid'].map(
                    (col) => (
                      <Table.Th
                        key={col}
                        scope="col"
                        ta={
                          ['orders', 'netRevenue', 'commission'].includes(col) ? 'right' : undefined
                        }
                      >
                        {intl.formatMessage({ id: `referrals.col.${col}` })}
                      </Table.Th>
                    ),
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {payouts.data.map((p) => (
                  <Table.Tr key={`${p.affiliateId}-${p.period}`} data-testid={`payout-${p.period}`}>
                    <Table.Td>{p.affiliateName}</Table.Td>
                    <Table.Td>{p.period}</Table.Td>
                    <Table.Td ta="right">{fmt.number(p.orders)}</Table.Td>
                    <Table.Td ta="right">{fmt.money(p.netRevenue.amount)}</Table.Td>
                    <Table.Td ta="right">{fmt.money(p.commission.amount)}</Table.Td>
                    <Table.Td>
                      {p.paid ? (
                        fmt.money(p.paid.commission.amount)
                      ) : p.closed && canPay ? (
                        <Button
                          size="compact-sm"
                          variant="light"
                          loading={markPaid.isPending}
                          onClick={() =>
                            markPaid.mutate({ affiliateId: p.affiliateId, period: p.period })
                          }
                        >
                          <FormattedMessage id="referrals.affiliates.markPaid" />
                        </Button>
                      ) : (
                        <FormattedMessage
                          id={p.closed ? 'referrals.affiliates.due' : 'referrals.affiliates.open'}
                        />
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </section>
      <Modal
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'referrals.close' }) }}
        opened={adding}
        onClose={() => setAdding(false)}
        title={intl.formatMessage({ id: 'referrals.affiliates.add' })}
      >
        {adding && <AffiliateForm onDone={() => setAdding(false)} />}
      </Modal>
    </ReferralsFrame>
  );
}

function AffiliateForm({ onDone }: { onDone: () => void }) {
  const intl = useIntl();
  const create = useCreateAffiliate();
  const problemText = useProblemText();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [percent, setPercent] = useState<number | string>(10);
  const error = create.error;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        name,
        code,
        commissionPercent: Number(percent),
        ...(email.trim() && { email: email.trim() }),
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {error instanceof ApiError && error.errors.length === 0 && (
          <Alert color="red" role="alert">
            {problemText(error)}
          </Alert>
        )}
        <TextInput
          label={intl.formatMessage({ id: 'referrals.affiliates.name' })}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldProblem(error, 'name')}
        />
        <TextInput
          label={intl.formatMessage({ id: 'referrals.affiliates.email' })}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={fieldProblem(error, 'email')}
        />
        <TextInput
          label={intl.formatMessage({ id: 'referrals.affiliates.code' })}
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={fieldProblem(error, 'code')}
        />
        <NumberInput
          label={intl.formatMessage({ id: 'referrals.affiliates.percent' })}
          min={0.01}
          max={100}
          value={percent}
          onChange={setPercent}
          error={fieldProblem(error, 'commissionPercent')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            <FormattedMessage id="referrals.affiliates.save" />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
