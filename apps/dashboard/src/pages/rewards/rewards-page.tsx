import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { dayOf, lastDayOf } from '../../ui/shop-time.ts';
import { Empty, Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { useDeleteReward, useRewards, type Reward } from './rewards-data.ts';
import { RewardForm } from './reward-form.tsx';

/** What a reward gives, in words: "PLN 20.00 off", "10% off (at most PLN 50.00)"… */
export function useRewardValue() {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  return (r: Reward) => {
    switch (r.kind) {
      case 'fixed_discount':
        return intl.formatMessage(
          { id: 'rewards.value.fixed' },
          { amount: fmt.money(r.amount ?? 0) },
        );
      case 'percentage_discount':
        return r.cap
          ? intl.formatMessage(
              { id: 'rewards.value.percentCapped' },
              { percent: fmt.number(r.percent ?? 0), cap: fmt.money(r.cap) },
            )
          : intl.formatMessage(
              { id: 'rewards.value.percent' },
              { percent: fmt.number(r.percent ?? 0) },
            );
      case 'free_shipping':
        return intl.formatMessage({ id: 'rewards.value.freeShipping' });
      case 'free_product':
        return intl.formatMessage({ id: 'rewards.value.freeProduct' }, { product: r.productId });
      default:
        return intl.formatMessage({ id: 'rewards.value.perk' });
    }
  };
}

/** The rewards catalogue: what customers can buy with points; marketers add, edit and remove. */
export function RewardsPage() {
  const intl = useIntl();
  const { locale } = useLocale();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const rewards = useRewards();
  const canWrite = useCan(MARKETING);
  const value = useRewardValue();
  const [editing, setEditing] = useState<Reward | 'new' | null>(null);
  const [removing, setRemoving] = useState<Reward | null>(null);
  const remove = useDeleteReward();
  const problemText = useProblemText();
  const tz = fmt.timezone;
  const day = (iso: string) => fmt.day(iso);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            <FormattedMessage id="rewards.title" />
          </Title>
          <Text size="sm" c="dimmed">
            <FormattedMessage id="rewards.lead" />
          </Text>
        </div>
        {canWrite && (
          <Button onClick={() => setEditing('new')}>
            <FormattedMessage id="rewards.add" />
          </Button>
        )}
      </Group>
      {remove.error &&
        (remove.error instanceof ApiError && remove.error.status === 403 ? (
          <Forbidden />
        ) : (
          <Alert color="red" role="alert">
            {problemText(remove.error)}
          </Alert>
        ))}
      {rewards.isPending ? (
        <Loading />
      ) : rewards.error ? (
        <Failure error={rewards.error} onRetry={() => void rewards.refetch()} />
      ) : rewards.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="rewards.empty" />
        </Empty>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="rewards-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  <FormattedMessage id="rewards.col.name" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="rewards.col.value" />
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  <FormattedMessage id="rewards.col.cost" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="rewards.col.limits" />
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rewards.data.map((r) => {
                const name = locale === 'pl' ? r.names.pl : r.names.en;
                const limits = [
                  r.minBasket !== null &&
                    intl.formatMessage(
                      { id: 'rewards.limit.minBasket' },
                      { amount: fmt.money(r.minBasket) },
                    ),
                  r.stock !== null &&
                    intl.formatMessage({ id: 'rewards.limit.stock' }, { count: r.stock }),
                  r.perCustomerLimit !== null &&
                    intl.formatMessage(
                      { id: 'rewards.limit.perCustomer' },
                      { count: r.perCustomerLimit },
                    ),
                  r.minTier !== null &&
                    intl.formatMessage({ id: 'rewards.limit.minTier' }, { tier: r.minTier }),
                  r.startsAt !== null &&
                    intl.formatMessage(
                      { id: 'rewards.limit.from' },
                      { day: day(dayOf(r.startsAt, tz)) },
                    ),
                  r.endsAt !== null &&
                    intl.formatMessage(
                      { id: 'rewards.limit.until' },
                      { day: day(lastDayOf(r.endsAt, tz)) },
                    ),
                  intl.formatMessage(
                    { id: 'rewards.limit.couponDays' },
                    { days: r.couponValidDays },
                  ),
                ].filter((x): x is string => typeof x === 'string');
                return (
                  <Table.Tr key={r.id} data-testid={`reward-${r.id}`}>
                    <Table.Td>
                      <Text fw={600} size="sm">
                        {name}
                      </Text>
                      {r.description && (
                        <Text size="xs" c="dimmed">
                          {locale === 'pl' ? r.description.pl : r.description.en}
                        </Text>
                      )}
                      {canWrite && (
                        <Group gap="xs" wrap="nowrap" mt={6}>
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setEditing(r)}
                            aria-label={intl.formatMessage({ id: 'rewards.editNamed' }, { name })}
                          >
                            <FormattedMessage id="rewards.edit" />
                          </Button>
                          <Button
                            size="xs"
                            variant="default"
                            c="red.9"
                            onClick={() => setRemoving(r)}
                            aria-label={intl.formatMessage({ id: 'rewards.deleteNamed' }, { name })}
                          >
                            <FormattedMessage id="rewards.delete" />
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                    <Table.Td>{value(r)}</Table.Td>
                    <Table.Td ta="right">
                      <Badge
                        tt="none"
                        variant="default"
                        color="teal.9"
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        <FormattedMessage id="rewards.points" values={{ count: r.pointsCost }} />
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{limits.join(' · ')}</Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'rewards.close' }) }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={intl.formatMessage({ id: editing === 'new' ? 'rewards.add' : 'rewards.editTitle' })}
        size="lg"
      >
        {editing !== null && (
          <RewardForm reward={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
        )}
      </Modal>
      <Modal
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'rewards.close' }) }}
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={intl.formatMessage({ id: 'rewards.deleteTitle' })}
      >
        {removing && (
          <Stack>
            <Text>
              <FormattedMessage
                id="rewards.deleteConfirm"
                values={{ name: locale === 'pl' ? removing.names.pl : removing.names.en }}
              />
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRemoving(null)}>
                <FormattedMessage id="rewards.cancel" />
              </Button>
              <Button
                color="red.9"
                loading={remove.isPending}
                onClick={() => remove.mutate(removing.id, { onSettled: () => setRemoving(null) })}
              >
                <FormattedMessage id="rewards.deleteSubmit" />
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
