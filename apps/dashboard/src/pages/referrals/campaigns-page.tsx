import { useState } from 'react';
import { Anchor, Badge, Button, Group, List, Modal, Paper, Stack, Title } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { useLocale } from '../../i18n/locale.tsx';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useRewards } from '../rewards/rewards-data.ts';
import { ReferralCampaignForm } from './campaign-form.tsx';
import { ReferralsFrame } from './referrals-nav.tsx';
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
        <Stack gap="sm" data-testid="referral-campaigns">
          {campaigns.data.map((c) => (
            <Paper
              key={c.id}
              withBorder
              p="md"
              component="article"
              aria-labelledby={`campaign-name-${c.id}`}
              data-testid={`campaign-${c.id}`}
            >
              <Group justify="space-between" align="flex-start" wrap="wrap" mb="xs">
                <Group gap="xs">
                  <Title order={2} size="h4" id={`campaign-name-${c.id}`}>
                    {c.name}
                  </Title>
                  {c.archived && (
                    <Badge tt="none" variant="outline" color="gray.8" size="sm">
                      <FormattedMessage id="referrals.campaigns.archived" />
                    </Badge>
                  )}
                </Group>
                <Group gap="xs">
                  {c.settings.termsUrl && (
                    <Anchor href={c.settings.termsUrl} target="_blank" rel="noreferrer" size="sm">
                      <FormattedMessage id="referrals.campaigns.termsLink" />
                    </Anchor>
                  )}
                  {canWrite && (
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
                  )}
                </Group>
              </Group>
              <List size="sm" spacing={2}>
                {summary(c.settings).map((line) => (
                  <List.Item key={line}>{line}</List.Item>
                ))}
              </List>
            </Paper>
          ))}
        </Stack>
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
