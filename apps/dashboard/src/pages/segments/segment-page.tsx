import { useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Group,
  List,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { downloadFile } from '../../api/download.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { GroupEditor } from './rule-builder.tsx';
import { segmentText } from './segment-text.ts';
import { AudienceExport } from './audience-export.tsx';
import { fromRule, newGroup, toRule, type DraftGroup } from './rule-draft.ts';
import {
  createSegment,
  loadFacts,
  loadMembers,
  loadSegment,
  previewRules,
  updateSegment,
  type Fact,
  type Segment,
  type SegmentUsage,
} from './segments-data.ts';

const MEMBERS_SHOWN = 50;

/** A new segment (`/segments/create`). */
export function NewSegmentPage() {
  return <SegmentScreen segmentId={null} />;
}

/** One segment (`/segments/:id`): its rules, live count, members, CSV and where it is used. */
export function SegmentPage() {
  const { segmentId } = useParams({ from: '/signed-in/segments/$segmentId' });
  return <SegmentScreen key={segmentId} segmentId={segmentId} />;
}

function SegmentScreen({ segmentId }: { segmentId: string | null }) {
  const { membership } = useShop();
  const facts = useQuery({ queryKey: ['segment-facts', membership.id], queryFn: loadFacts });
  const canExport = useCan(MARKETING);
  const segment = useQuery({
    queryKey: ['segment', membership.id, segmentId],
    queryFn: () => loadSegment(segmentId!),
    enabled: segmentId !== null,
  });
  const heading = (
    <Anchor component={Link} to="/segments" size="sm">
      <FormattedMessage id="segments.back" />
    </Anchor>
  );
  if (facts.isPending || (segmentId !== null && segment.isPending)) {
    return (
      <Stack>
        {heading}
        <Loading />
      </Stack>
    );
  }
  const error = facts.error ?? segment.error;
  if (error) {
    return (
      <Stack>
        {heading}
        <Failure
          error={error}
          onRetry={() => void Promise.all([facts.refetch(), segment.refetch()])}
        />
      </Stack>
    );
  }
  return (
    <Stack>
      {heading}
      <SegmentEditor facts={facts.data!.data} segment={segment.data ?? null} />
      {segment.data && <Members segment={segment.data} />}
      {segment.data && canExport && <AudienceExport segmentId={segment.data.id} />}
    </Stack>
  );
}

function SegmentEditor({
  facts,
  segment,
}: {
  facts: Fact[];
  segment: (Segment & { usedBy: SegmentUsage }) | null;
}) {
  const intl = useIntl();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const { membership, shop } = useShop();
  const format = useShopFormat(shop);
  const canEdit = useCan(MARKETING);
  const readOnly = !canEdit || (segment?.builtIn ?? false);
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [draft, setDraft] = useState<DraftGroup>(() =>
    segment ? fromRule(segment.rules) : newGroup(facts),
  );
  const [saved, setSaved] = useState<SegmentUsage | null>(null);
  const rules = toRule(draft);
  const [debounced] = useDebouncedValue(rules ? JSON.stringify(rules) : null, 350);
  const preview = useQuery({
    queryKey: ['segment-preview', membership.id, debounced],
    queryFn: () => previewRules(JSON.parse(debounced!)),
    enabled: !readOnly && debounced !== null,
    placeholderData: keepPreviousData,
  });
  const save = useMutation({
    mutationFn: (): Promise<Segment & { usedBy: SegmentUsage | null }> => {
      const body = {
        name,
        ...(description.trim() ? { description: description.trim() } : {}),
        rules: rules!,
      };
      if (!segment)
        return createSegment(body).then((made) => ({
          ...made,
          usedBy: null as SegmentUsage | null,
        }));
      return updateSegment(segment.id, body);
    },
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['segments', membership.id] });
      if (!segment || !result.usedBy) {
        await navigate({ to: '/segments/$segmentId', params: { segmentId: result.id } });
        return;
      }
      setSaved(result.usedBy);
      queryClient.setQueryData(['segment', membership.id, segment.id], result);
      await queryClient.invalidateQueries({
        queryKey: ['segment-members', membership.id, segment.id],
      });
    },
  });
  const fieldError = (path: string) =>
    save.error instanceof ApiError ? save.error.fieldError(path) : undefined;
  const otherError =
    save.error && !(save.error instanceof ApiError && save.error.errors.length > 0)
      ? problemText(save.error)
      : null;
  const rulesError =
    save.error instanceof ApiError
      ? save.error.errors.find((e) => e.path.startsWith('rules'))?.message
      : undefined;

  const count = readOnly
    ? segment?.customers
    : rules && debounced === JSON.stringify(rules)
      ? preview.data?.customers
      : undefined;

  return (
    <Stack>
      <Title order={1}>
        {segment
          ? segmentText(intl, segment, format.money).name
          : intl.formatMessage({ id: 'segments.newTitle' })}
      </Title>
      {segment?.builtIn && (
        <Text c="dimmed">{segmentText(intl, segment, format.money).description}</Text>
      )}
      {segment?.builtIn && (
        <Alert color="gray">
          <FormattedMessage id="segments.builtInNote" />
        </Alert>
      )}
      {!canEdit && !segment?.builtIn && (
        <Alert color="gray">
          <FormattedMessage id="segments.readOnly" />
        </Alert>
      )}
      {!segment?.builtIn && (
        <Group align="flex-start" wrap="wrap">
          <TextInput
            label={intl.formatMessage({ id: 'segments.name' })}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError('name')}
            disabled={readOnly}
            maxLength={200}
            w={{ base: '100%', sm: 320 }}
          />
          <Textarea
            label={intl.formatMessage({ id: 'segments.description' })}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={fieldError('description')}
            disabled={readOnly}
            autosize
            minRows={1}
            maxLength={1000}
            w={{ base: '100%', sm: 420 }}
          />
        </Group>
      )}
      <GroupEditor
        group={draft}
        onChange={setDraft}
        path="0"
        facts={facts}
        currency={shop?.currency ?? 'PLN'}
        readOnly={readOnly}
      />
      {rulesError && (
        <Text c="red.8" size="sm" role="alert">
          {rulesError}
        </Text>
      )}
      <Paper withBorder p="sm" role="status" aria-live="polite">
        {count !== undefined ? (
          <Text fw={600} data-testid="segment-live-count">
            <FormattedMessage id="segments.liveCount" values={{ count }} />
          </Text>
        ) : preview.error ? (
          <Text c="red.8">{problemText(preview.error)}</Text>
        ) : (
          <Text c="dimmed">
            <FormattedMessage id={rules ? 'segments.counting' : 'segments.incomplete'} />
          </Text>
        )}
      </Paper>
      {!readOnly && (
        <Group>
          <Button
            onClick={() => {
              setSaved(null);
              save.mutate();
            }}
            loading={save.isPending}
            disabled={!rules}
          >
            <FormattedMessage id={segment ? 'segments.save' : 'segments.create'} />
          </Button>
        </Group>
      )}
      {otherError && (
        <Alert color="red" role="alert">
          {otherError}
        </Alert>
      )}
      {saved && (
        <Alert color="teal" data-testid="segment-saved" role="status">
          <Text>
            <FormattedMessage id="segments.saved" values={{ name }} />
          </Text>
          {usageCount(saved) > 0 && (
            <>
              <Text mt="xs">
                <FormattedMessage id="segments.usedBy.savedNote" />
              </Text>
              <UsageList usage={saved} />
            </>
          )}
        </Alert>
      )}
      {segment && (
        <Stack gap="xs" data-testid="segment-used-by">
          <Title order={2} size="h3">
            <FormattedMessage id="segments.usedBy.title" />
          </Title>
          {usageCount(segment.usedBy) === 0 ? (
            <Text c="dimmed">
              <FormattedMessage id="segments.usedBy.none" />
            </Text>
          ) : (
            <UsageList usage={segment.usedBy} />
          )}
        </Stack>
      )}
    </Stack>
  );
}

const usageCount = (u: SegmentUsage) => u.flows.length + u.couponCampaigns.length + u.popups.length;

function UsageList({ usage }: { usage: SegmentUsage }) {
  const intl = useIntl();
  const items = [
    ...usage.flows.map((f) => ({ kind: 'segments.usedBy.flow', ...f })),
    ...usage.couponCampaigns.map((c) => ({ kind: 'segments.usedBy.campaign', ...c })),
    ...usage.popups.map((p) => ({ kind: 'segments.usedBy.popup', ...p })),
  ];
  return (
    <List size="sm">
      {items.map((item) => (
        <List.Item key={`${item.kind}-${item.id}`}>
          {intl.formatMessage({ id: item.kind })}:{' '}
          {item.kind === 'segments.usedBy.campaign' ? (
            <Anchor
              renderRoot={(props) => (
                <Link to="/coupons/$campaignId" params={{ campaignId: item.id }} {...props} />
              )}
            >
              {item.name}
            </Anchor>
          ) : (
            <strong>{item.name}</strong>
          )}
        </List.Item>
      ))}
    </List>
  );
}

function Members({ segment }: { segment: Segment }) {
  const intl = useIntl();
  const problemText = useProblemText();
  const { membership, shop } = useShop();
  const format = useShopFormat(shop);
  const members = useQuery({
    queryKey: ['segment-members', membership.id, segment.id],
    queryFn: () => loadMembers(segment.id, MEMBERS_SHOWN),
  });
  const csv = useMutation({
    mutationFn: () =>
      downloadFile(
        `/v1/segments/${encodeURIComponent(segment.id)}/customers.csv`,
        membership.id,
        `${segment.name.replace(/[^\p{L}\p{N}_-]+/gu, '-')}.csv`,
      ),
  });
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h3">
          <FormattedMessage id="segments.members.title" />
        </Title>
        <Button variant="default" onClick={() => csv.mutate()} loading={csv.isPending}>
          <FormattedMessage id="segments.csv" />
        </Button>
      </Group>
      {csv.error && (
        <Alert color="red" role="alert">
          {problemText(csv.error)}
        </Alert>
      )}
      {members.isPending ? (
        <Loading />
      ) : members.error ? (
        <Failure error={members.error} onRetry={() => void members.refetch()} />
      ) : members.data.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="segments.members.none" />
        </Empty>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            <FormattedMessage
              id="segments.members.shown"
              values={{ shown: members.data.data.length, count: segment.customers }}
            />
          </Text>
          <Table.ScrollContainer minWidth={360}>
            <Table striped data-testid="segment-members">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>
                    <FormattedMessage id="segments.members.col.customer" />
                  </Table.Th>
                  <Table.Th ta="right">
                    <FormattedMessage id="segments.members.col.spent" />
                  </Table.Th>
                  <Table.Th ta="right" visibleFrom="sm">
                    <FormattedMessage id="segments.members.col.orders" />
                  </Table.Th>
                  <Table.Th ta="right">
                    <FormattedMessage id="segments.members.col.lastOrder" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.data.data.map((m) => (
                  <Table.Tr key={m.customerId}>
                    <Table.Td>
                      <Anchor
                        renderRoot={(props) => (
                          <Link
                            to="/customers/$customerId"
                            params={{ customerId: m.customerId }}
                            {...props}
                          />
                        )}
                      >
                        {m.customerId}
                      </Anchor>
                      {m.email && (
                        <Text size="xs" c="dimmed">
                          {m.email}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {format.money(m.totalSpent)}
                    </Table.Td>
                    <Table.Td ta="right" visibleFrom="sm">
                      {format.number(m.ordersCount)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {m.daysSinceLastOrder === null
                        ? intl.formatMessage({ id: 'segments.members.never' })
                        : intl.formatMessage(
                            { id: 'segments.members.daysAgo' },
                            { days: m.daysSinceLastOrder },
                          )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
