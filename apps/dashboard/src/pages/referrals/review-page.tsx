import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { SERVICE, useCan } from '../../ui/roles.ts';
import { dayOf } from '../../ui/shop-time.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { ReferralsFrame } from './referrals-nav.tsx';
import {
  useDecide,
  useReviewQueue,
  type Outcome,
  type Party,
  type QueueItem,
} from './referrals-data.ts';

/** The review queue: flagged referrals, their reasons, both customers; decide one or several. */
export function ReferralReviewPage() {
  const intl = useIntl();
  const queue = useReviewQueue();
  const canDecide = useCan(SERVICE);
  const decide = useDecide();
  const problemText = useProblemText();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkNote, setBulkNote] = useState('');
  const [report, setReport] = useState<{ referralId: string; outcome: Outcome }[] | null>(null);

  const run = (decision: 'approve' | 'reject', ids: string[], note: string) =>
    decide.mutate(
      { decision, referralIds: ids, ...(note.trim() && { note: note.trim() }) },
      {
        onSuccess: (answer) => {
          setReport(answer.results);
          setSelected(new Set());
          setBulkNote('');
        },
      },
    );
  const items = queue.data?.pages.flatMap((p) => p.data) ?? [];
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <ReferralsFrame
      title={intl.formatMessage({ id: 'referrals.review.title' })}
      lead={intl.formatMessage({ id: 'referrals.review.lead' })}
    >
      {decide.error && (
        <Alert color="red" role="alert">
          {problemText(decide.error)}
        </Alert>
      )}
      {report && (
        <Alert
          color="teal"
          role="status"
          data-testid="decision-report"
          withCloseButton
          onClose={() => setReport(null)}
          closeButtonLabel={intl.formatMessage({ id: 'referrals.close' })}
        >
          <List size="sm">
            {report.map((r) => (
              <List.Item key={r.referralId}>
                {intl.formatMessage(
                  { id: `referrals.outcome.${r.outcome}` },
                  { id: r.referralId.slice(0, 8) },
                )}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {queue.isPending ? (
        <Loading />
      ) : queue.error ? (
        <Failure error={queue.error} onRetry={() => void queue.refetch()} />
      ) : items.length === 0 ? (
        <Empty>
          <FormattedMessage id="referrals.review.empty" />
        </Empty>
      ) : (
        <Stack gap="md">
          {canDecide && (
            <Paper withBorder p="sm" data-testid="bulk-bar">
              <Group align="flex-end" wrap="wrap">
                <Checkbox
                  label={intl.formatMessage({ id: 'referrals.review.selectAll' })}
                  checked={selected.size === items.length}
                  indeterminate={selected.size > 0 && selected.size < items.length}
                  onChange={(e) =>
                    setSelected(
                      e.currentTarget.checked
                        ? new Set(items.map((i) => i.referral.id))
                        : new Set(),
                    )
                  }
                />
                <Textarea
                  label={intl.formatMessage({ id: 'referrals.review.bulkNote' })}
                  autosize
                  minRows={1}
                  style={{ flex: 1, minWidth: 200 }}
                  value={bulkNote}
                  onChange={(e) => setBulkNote(e.currentTarget.value)}
                />
                <Button
                  disabled={selected.size === 0}
                  loading={decide.isPending}
                  onClick={() => run('approve', [...selected], bulkNote)}
                >
                  {intl.formatMessage(
                    { id: 'referrals.review.approveSelected' },
                    { count: selected.size },
                  )}
                </Button>
                <Button
                  color="red"
                  variant="light"
                  disabled={selected.size === 0}
                  loading={decide.isPending}
                  onClick={() => run('reject', [...selected], bulkNote)}
                >
                  {intl.formatMessage(
                    { id: 'referrals.review.rejectSelected' },
                    { count: selected.size },
                  )}
                </Button>
              </Group>
            </Paper>
          )}
          {items.map((item) => (
            <FlaggedReferral
              key={item.referral.id}
              item={item}
              canDecide={canDecide}
              selected={selected.has(item.referral.id)}
              onSelect={(on) => toggle(item.referral.id, on)}
              onDecide={(decision, note) => run(decision, [item.referral.id], note)}
              pending={decide.isPending}
            />
          ))}
          {queue.hasNextPage && (
            <Group justify="center">
              <Button
                variant="light"
                loading={queue.isFetchingNextPage}
                onClick={() => void queue.fetchNextPage()}
              >
                <FormattedMessage id="referrals.review.older" values={{ shown: items.length }} />
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </ReferralsFrame>
  );
}

function FlaggedReferral({
  item,
  canDecide,
  selected,
  onSelect,
  onDecide,
  pending,
}: {
  item: QueueItem;
  canDecide: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onDecide: (decision: 'approve' | 'reject', note: string) => void;
  pending: boolean;
}) {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const [note, setNote] = useState('');
  const r = item.referral;
  const titleId = `flagged-${r.id}`;
  const who = `${item.referrer.firstName ?? item.referrer.customerId} → ${item.friend.firstName ?? item.friend.customerId}`;
  return (
    <Paper
      withBorder
      p="md"
      component="article"
      aria-labelledby={titleId}
      data-testid={`flagged-${r.id}`}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            {canDecide && (
              <Checkbox
                aria-label={intl.formatMessage({ id: 'referrals.review.select' }, { who })}
                checked={selected}
                onChange={(e) => onSelect(e.currentTarget.checked)}
              />
            )}
            <Title order={2} size="h5" id={titleId}>
              {who}
            </Title>
          </Group>
          <Text size="sm">
            {intl.formatMessage(
              { id: 'referrals.review.meta' },
              {
                score: r.riskScore,
                day: r.steps.flaggedAt ? fmt.day(dayOf(r.steps.flaggedAt, fmt.timezone)) : '—',
                stage: intl.formatMessage({ id: `referrals.status.${r.waitingAt ?? 'signed_up'}` }),
              },
            )}
          </Text>
        </Group>
        <Group gap="xs" data-testid="reasons">
          {r.reasons.map((reason) => (
            <Badge key={reason.reason} tt="none" color="red.9" variant="outline">
              {intl.formatMessage(
                { id: 'referrals.review.reason' },
                {
                  reason: intl.formatMessage({ id: `referrals.reason.${reason.reason}` }),
                  weight: reason.weight,
                },
              )}
            </Badge>
          ))}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <PartyCard role="referrer" party={item.referrer} />
          <PartyCard role="friend" party={item.friend} />
        </SimpleGrid>
        {canDecide && (
          <Group align="flex-end" wrap="wrap">
            <Textarea
              label={intl.formatMessage({ id: 'referrals.review.note' })}
              autosize
              minRows={1}
              style={{ flex: 1, minWidth: 200 }}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <Button loading={pending} onClick={() => onDecide('approve', note)}>
              <FormattedMessage id="referrals.review.approve" />
            </Button>
            <Button
              color="red"
              variant="light"
              loading={pending}
              onClick={() => onDecide('reject', note)}
            >
              <FormattedMessage id="referrals.review.reject" />
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function PartyCard({ role, party }: { role: 'referrer' | 'friend'; party: Party }) {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const name = [party.firstName, party.lastName].filter(Boolean).join(' ') || party.customerId;
  return (
    <Paper bg="gray.0" p="sm" data-testid={`party-${role}`}>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        <FormattedMessage id={`referrals.review.${role}`} />
      </Text>
      <Anchor
        fw={600}
        renderRoot={(props) => (
          <Link {...props} to="/customers/$customerId" params={{ customerId: party.customerId }} />
        )}
      >
        {name}
      </Anchor>
      <Text size="sm">{party.email ?? '—'}</Text>
      {party.phone && <Text size="sm">{party.phone}</Text>}
      <Text size="sm">
        {intl.formatMessage(
          { id: 'referrals.review.orders' },
          { count: party.orders, revenue: fmt.money(party.revenue.amount) },
        )}
      </Text>
      <Text size="sm">
        {intl.formatMessage(
          { id: 'referrals.review.since' },
          { day: fmt.day(dayOf(party.createdAt, fmt.timezone)) },
        )}
      </Text>
      <Text size="sm">
        {intl.formatMessage(
          { id: 'referrals.review.referrals' },
          { count: party.referralsMade, refused: party.referralsFlaggedOrRejected },
        )}
      </Text>
    </Paper>
  );
}
