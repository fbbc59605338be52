import { useState } from 'react';
import { Anchor, Badge, Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { MARKETING, SERVICE, useCan } from '../../ui/roles.ts';
import { dayOf, lastDayOf } from '../../ui/shop-time.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { CampaignForm } from './campaign-form.tsx';
import { CodeTester } from './code-tester.tsx';
import { useCampaigns, type Campaign } from './coupons-data.ts';
import { useDiscountText } from './discount-text.ts';

/** "1 Dec – 31 Dec", "from 1 Dec", "until 31 Dec", or "always". */
export function useWindowText() {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  return (c: Pick<Campaign, 'startsAt' | 'endsAt'>) => {
    const from = c.startsAt ? fmt.day(dayOf(c.startsAt, fmt.timezone)) : null;
    const until = c.endsAt ? fmt.day(lastDayOf(c.endsAt, fmt.timezone)) : null;
    if (from && until) return `${from} – ${until}`;
    if (from) return intl.formatMessage({ id: 'coupons.window.from' }, { day: from });
    if (until) return intl.formatMessage({ id: 'coupons.window.until' }, { day: until });
    return intl.formatMessage({ id: 'coupons.window.always' });
  };
}

/** Coupon campaigns: the list, a new campaign, and the "check a code" tester. */
export function CouponsPage() {
  const intl = useIntl();
  const campaigns = useCampaigns();
  const canWrite = useCan(MARKETING);
  const canTest = useCan(SERVICE);
  const discount = useDiscountText();
  const window = useWindowText();
  const [creating, setCreating] = useState(false);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            <FormattedMessage id="coupons.title" />
          </Title>
          <Text size="sm" c="dimmed">
            <FormattedMessage id="coupons.lead" />
          </Text>
        </div>
        {canWrite && (
          <Button onClick={() => setCreating(true)}>
            <FormattedMessage id="coupons.add" />
          </Button>
        )}
      </Group>
      <section aria-labelledby="campaigns-title">
        <Title order={2} size="h4" id="campaigns-title" mb="xs">
          <FormattedMessage id="coupons.campaigns" />
        </Title>
        {campaigns.isPending ? (
          <Loading />
        ) : campaigns.error ? (
          <Failure error={campaigns.error} onRetry={() => void campaigns.refetch()} />
        ) : campaigns.data.data.length === 0 ? (
          <Empty>
            <FormattedMessage id="coupons.empty" />
          </Empty>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped data-testid="campaigns-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <FormattedMessage id="coupons.col.name" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="coupons.col.discount" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="coupons.col.window" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    <FormattedMessage id="coupons.col.codes" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    <FormattedMessage id="coupons.col.uses" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {campaigns.data.data.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Anchor
                        renderRoot={(props) => (
                          <Link
                            {...props}
                            to="/coupons/$campaignId"
                            params={{ campaignId: c.id }}
                          />
                        )}
                      >
                        {c.name}
                      </Anchor>
                      {c.stackable && (
                        <Badge tt="none" ml="xs" size="xs" variant="outline" color="gray.8">
                          <FormattedMessage id="coupons.stackableBadge" />
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{discount(c.discount)}</Table.Td>
                    <Table.Td>{window(c)}</Table.Td>
                    <Table.Td ta="right">{intl.formatNumber(c.codes)}</Table.Td>
                    <Table.Td ta="right">{intl.formatNumber(c.uses)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
      {canTest && <CodeTester />}
      <Modal
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'coupons.close' }) }}
        opened={creating}
        onClose={() => setCreating(false)}
        title={intl.formatMessage({ id: 'coupons.add' })}
        size="lg"
      >
        {creating && <CampaignForm onDone={() => setCreating(false)} />}
      </Modal>
    </Stack>
  );
}
