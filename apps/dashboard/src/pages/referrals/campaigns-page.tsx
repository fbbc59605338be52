import { useState } from 'react';
import { Anchor, Badge, Button, Modal, Stack, Table, Text } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { useLocale } from '../../i18n/locale.tsx';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useRewards } from '../rewards/rewards-data.ts';
import { ReferralCampaignForm } from './campaign-form.tsx';
import { ReferralsFrame } from './referrals-nav.tsx';
import { ScrollTable } from './scroll-table.tsx';
import { useReferralCampaigns, type ReferralCampaign } from './referrals-data.ts';
import { useTermsSummary } from './terms-summary.ts';

/** Referral campaigns: their terms in plain words, a new campaign, editing one. */
export function ReferralCampaignsPage() {
  const intl = useIntl();
  const { locale } = useLocale();
  const campaigns = useReferralCampaigns();
  const rewards = useRewards();
  const canWrite = useCan(MARKETING);
  const summary = useTermsSummary(
    new Map((rewards.data ?? []).map((r) => [r.id, r.names[locale] || r.name])),
  );
  const [editing, setEditing] = useState<ReferralCampaign | 'new' | null>(null);

  return (
    <ReferralsFrame
      title={intl.formatMessage({ id: 'referrals.campaigns.title' })}
      lead={intl.formatMessage({ id: 'referrals.campaigns.lead' })}
      actions={
        canWrite && (
          <Button onClick={() => setEditing('new')}>
            <FormattedMessage id="referrals.campaigns.add" />
          </Button>
        )
      }
    >
      {campaigns.isPending ? (
        <Loading />
      ) : campaigns.error ? (
        <Failure error={campaigns.error} onRetry={() => void campaigns.refetch()} />
      ) : campaigns.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="referrals.campaigns.empty" />
        </Empty>
      ) : (
        <ScrollTable minWidth={640} label={intl.formatMessage({ id: 'referrals.campaigns.title' })}>
          <Table striped data-testid="referral-campaigns">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  <FormattedMessage id="referrals.col.name" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="referrals.col.terms" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="referrals.col.termsUrl" />
                </Table.Th>
                {canWrite && (
                  <Table.Th scope="col">
                    <FormattedMessage id="referrals.col.actions" />
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {campaigns.data.map((c) => (
                <Table.Tr key={c.id} data-testid={`campaign-${c.id}`}>
                  <Table.Td>
                    <Text fw={600}>{c.name}</Text>
                    {c.archived && (
                      <Badge tt="none" variant="outline" color="gray.8" size="sm">
                        <FormattedMessage id="referrals.campaigns.archived" />
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {summary(c.settings)
                        .slice(0, 3)
                        .map((line) => (
                          <Text size="sm" key={line}>
                            {line}
                          </Text>
                        ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {c.settings.termsUrl ? (
                      <Anchor href={c.settings.termsUrl} target="_blank" rel="noreferrer" size="sm">
                        <FormattedMessage id="referrals.campaigns.termsLink" />
                      </Anchor>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Button
                        variant="light"
                        size="compact-sm"
                        onClick={() => setEditing(c)}
                        aria-label={intl.formatMessage(
                          { id: 'referrals.campaigns.editNamed' },
                          { name: c.name },
                        )}
                      >
                        <FormattedMessage id="referrals.campaigns.edit" />
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <Modal
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'referrals.close' }) }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={intl.formatMessage({
          id: editing === 'new' ? 'referrals.campaigns.add' : 'referrals.campaigns.edit',
        })}
        size="xl"
      >
        {editing !== null && (
          <ReferralCampaignForm
            campaign={editing === 'new' ? null : editing}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
    </ReferralsFrame>
  );
}
